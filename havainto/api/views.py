"""The public JSON API for intake: integrations and our own checks submit reports here."""

import json
import re
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from havainto.accounts.access import has_role
from havainto.accounts.models import Organisation
from havainto.lib.pii import find_personal_data
from havainto.reports.forms import ReportForm
from havainto.reports.services import (
    ReplayMismatch,
    find_by_receipt,
    reporter_status,
    submit_report,
)

# Only JSON with this content type is accepted: a cross-site HTML form cannot send it
# without a CORS preflight, which we never grant, so the endpoint needs no CSRF token.
JSON_TYPE = "application/json"
TEXT_FIELDS = {
    "title",
    "description",
    "causes",
    "service_effects",
    "proposal",
    "municipality",
    "service_line",
    "reporter_role",
    "observation_type",
    "recurrence",
    "clients_affected",
    "proposal_level",
    "language",
    "organisation",
}
LIST_FIELDS = {"client_groups", "support_needs", "sectors"}
# confirm_names: the reporter confirms that the names the privacy guard found are not clients'
# (staff, public figures); name findings then no longer block. Other findings always block.
BOOL_FIELDS = {"wants_feedback", "confirm_no_client_data", "confirm_names"}
KNOWN_FIELDS = TEXT_FIELDS | LIST_FIELDS | BOOL_FIELDS | {"contact", "unit", "extra"}
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,100}$")


def _error(status: int, errors: dict[str, list[str]], **extra: Any) -> JsonResponse:
    return JsonResponse({"errors": errors, **extra}, status=status)


def _messages(form: ReportForm) -> dict[str, list[str]]:
    return {
        name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()
    }


def _to_form_data(body: dict[str, Any]) -> tuple[MultiValueDict, dict[str, list[str]]]:
    data: MultiValueDict = MultiValueDict()
    errors: dict[str, list[str]] = {}
    for key, value in body.items():
        if key not in KNOWN_FIELDS:
            errors[key] = ["Unknown field."]
        elif value is None:
            continue
        elif key in LIST_FIELDS:
            if not isinstance(value, list) or not all(
                isinstance(v, (str, int)) and not isinstance(v, bool) for v in value
            ):
                errors[key] = ["Must be a list of codes."]
            elif len(value) > 50:
                errors[key] = ["Too many codes."]
            else:
                data.setlist(key, [str(v) for v in value])
        elif key in BOOL_FIELDS:
            if not isinstance(value, bool):
                errors[key] = ["Must be true or false."]
            elif value:
                data[key] = "on"
        elif key == "contact":
            if isinstance(value, str):
                data["contact_email"] = value
            elif (
                isinstance(value, dict)
                and all(isinstance(v, str) for v in value.values())
                and set(value) <= {"name", "email"}
            ):
                data["contact_name"] = value.get("name", "")
                data["contact_email"] = value.get("email", "")
            else:
                errors[key] = ['Must be an e-mail address or {"name", "email"}.']
        elif key == "unit":
            if not isinstance(value, int) or isinstance(value, bool):
                errors[key] = ["Must be a unit id."]
            else:
                data[key] = str(value)
        elif key == "extra":
            if not isinstance(value, dict):
                errors[key] = ["Must be an object of question id → answer."]
            else:
                for qid, answer in value.items():
                    if isinstance(answer, list):
                        data.setlist(f"extra_{qid}", [str(a) for a in answer])
                    else:
                        data[f"extra_{qid}"] = str(answer)
        elif not isinstance(value, str):
            errors[key] = ["Must be a string."]
        else:
            data[key] = value
    return data, errors


@csrf_exempt
@never_cache
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    if request.content_type != JSON_TYPE:
        return _error(415, {"__all__": [f"Send the report as {JSON_TYPE}."]})
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _error(400, {"__all__": ["The body is not valid JSON."]})
    if not isinstance(body, dict):
        return _error(400, {"__all__": ["The body must be a JSON object."]})
    raw_key = request.headers.get("Idempotency-Key", "")
    if raw_key and not _KEY_RE.match(raw_key):
        return _error(400, {"Idempotency-Key": ["Use 1–100 printable ASCII characters."]})
    slug = body.get("organisation")
    organisation = Organisation.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    if organisation is None:
        return _error(400, {"organisation": ["Unknown organisation."]})
    user = request.user
    if not organisation.allow_anonymous and not (
        user.is_authenticated
        and has_role(user, organisation, ["reporter", "handler", "coordinator", "admin"])
    ):
        return _error(
            401,
            {"__all__": ["This organisation accepts reports only from its authenticated members."]},
        )
    data, errors = _to_form_data(body)
    if errors:
        return _error(400, errors)
    data.setdefault("language", (organisation.languages or ["fi"])[0])
    form = ReportForm(data, organisation=organisation, user=user, prefill=False)
    if not form.is_valid():
        if form.only_personal_data_errors:
            # Offsets into the strings as they were sent, not as we normalised them. Names are
            # listed only while unconfirmed; when they are all that is left, the client may
            # send again with "confirm_names": true.
            findings = {
                name: [
                    {"kind": f.kind, "start": f.start, "end": f.end}
                    for f in find_personal_data(str(body.get(name, "")), kinds=form.blocking_kinds)
                ]
                for name in form.pii_findings
            }
            return _error(
                422,
                _messages(form),
                personal_data=findings,
                names_confirmable=form.only_name_warnings,
            )
        return _error(400, _messages(form))
    extra = {
        k[len("extra_") :]: v
        for k, v in form.cleaned_data.items()
        if k.startswith("extra_") and v not in (None, "", [])
    }
    try:
        result = submit_report(
            actor=user,
            organisation=organisation,
            cleaned=form.cleaned_data,
            raw_key=f"api:{raw_key}" if raw_key else f"api-random:{uuid.uuid4()}",
            channel="api",
            extra_answers=extra,
        )
    except ReplayMismatch:
        return _error(409, {"Idempotency-Key": ["This key was already used for another report."]})
    response = JsonResponse(
        {
            "id": result.report.pk,
            "receipt": result.receipt,
            "status_url": request.build_absolute_uri(reverse("api:receipt", args=[result.receipt])),
        },
        status=201,
    )
    if not result.created:
        response["Idempotent-Replayed"] = "true"
    return response


@never_cache
@require_GET
def receipt(request: HttpRequest, receipt: str) -> HttpResponse:
    report = find_by_receipt(receipt)
    if report is None:
        return _error(404, {"receipt": ["No report has this receipt."]})
    shown = reporter_status(report)
    return JsonResponse(
        {
            "status": report.status,
            "status_label": shown["status_label"],
            "submitted_on": report.submitted_on.isoformat(),
            "title": report.title,
            "feedback": [
                {
                    "date": e.created_at.date().isoformat(),
                    "status": e.status,
                    "status_label": e.state_label,
                    "message": e.message,
                }
                for e in shown["events"]
            ],
            "phenomena": [
                {
                    "name": phenomenon.name,
                    "proposals": [
                        {
                            "text": proposal.text,
                            "outcome": proposal.outcome,
                            "outcome_label": proposal.get_outcome_display(),
                            "progress": proposal.progress,
                        }
                        for proposal in phenomenon.proposals.all()
                    ],
                }
                for phenomenon in shown["phenomena"]
            ],
        }
    )
