"""What the reports of a period say and what became of them: the readers' overview (counts
only) and the "you said, we did" digest for the reporters."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.coding.models import (
    AdvocacyStep,
    Digest,
    OutboxMessage,
    Phenomenon,
    ReportTheme,
    Theme,
)
from havainto.coding.services._common import _enqueue_delivery, _format_date
from havainto.coding.services.outbox import feedback_address
from havainto.coding.services.states import state_labels, workflow_states
from havainto.reports.models import Report, ReportEvent, Status

# --- Overview: counts only, for everyone in the workspace ---------------------------------


@dataclass(frozen=True)
class Overview:
    total: int
    by_month: list[tuple[Any, int]]
    by_type: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    by_municipality: list[tuple[str, int]]
    by_service_line: list[tuple[str, int]]
    by_state: list[tuple[str, int]]
    uncoded: int
    phenomena_open: int
    steps: int
    steps_answered: int


def overview(organisation: Organisation, start: Any, end: Any) -> Overview:
    """Counts of the organisation's reports received in [start, end]: the readers' view of
    what the reports say, without any report text."""
    reports = Report.objects.of(organisation).filter(submitted_on__range=(start, end))

    def named(field: str) -> list[tuple[str, int]]:
        rows = list(reports.values(field).annotate(n=Count("id")).order_by("-n"))
        model = Report._meta.get_field(field).related_model
        objects = {obj.pk: obj for obj in model.objects.filter(pk__in=[r[field] for r in rows])}
        return [
            (
                getattr(objects.get(row[field]), "label", None)
                or str(objects.get(row[field], "–")),
                row["n"],
            )
            for row in rows
        ]

    months = (
        reports.annotate(month=TruncMonth("submitted_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    themes = (
        ReportTheme.objects.filter(report__in=reports)
        .values("theme")
        .annotate(n=Count("report", distinct=True))
        .order_by("-n")
    )
    theme_names = {t.pk: t.label for t in Theme.objects.filter(organisation=organisation)}
    labels = state_labels(organisation)
    states = reports.values("status").annotate(n=Count("id")).order_by("-n")
    steps = AdvocacyStep.objects.filter(
        phenomenon__organisation=organisation, taken_on__range=(start, end)
    )
    return Overview(
        total=reports.count(),
        by_month=[(row["month"], row["n"]) for row in months],
        by_type=named("observation_type"),
        by_theme=[(theme_names.get(row["theme"], "–"), row["n"]) for row in themes],
        by_municipality=named("municipality"),
        by_service_line=named("service_line"),
        by_state=[(labels.get(row["status"], row["status"]), row["n"]) for row in states],
        uncoded=reports.filter(report_themes__isnull=True).count(),
        phenomena_open=Phenomenon.objects.filter(
            organisation=organisation, state=Phenomenon.State.OPEN
        ).count(),
        steps=steps.count(),
        steps_answered=steps.exclude(answer="").count(),
    )


# --- "You said, we did" digest -------------------------------------------------------------


def _period(start: Any, end: Any) -> str:
    return f"{_format_date(start)}–{_format_date(end)}"


def compose_digest(organisation: Organisation, start: Any, end: Any, language: str) -> str:
    """What was done with the reports received in [start, end], in one language: counts,
    the phenomena they are part of with the steps taken, the answers shared with reporters,
    and the proposals' outcomes. Only what reporters may see anyway."""
    with translation.override(language):
        reports = Report.objects.of(organisation).filter(submitted_on__range=(start, end))
        total = reports.count()
        final = [s.code for s in workflow_states(organisation) if s.is_final]
        handled = reports.exclude(status=Status.RECEIVED).count()
        phenomena = (
            Phenomenon.objects.filter(links__report__in=reports)
            .exclude(state=Phenomenon.State.MERGED)
            .annotate(supporting=Count("links", distinct=True))
            .distinct()
            .order_by("name")
        )
        lines = [
            gettext(
                "In %(period)s, %(total)s reports were sent to %(organisation)s. "
                "%(handled)s of them have been handled, %(closed)s closed."
            )
            % {
                "period": _period(start, end),
                "total": total,
                "organisation": organisation.name,
                "handled": handled,
                "closed": reports.filter(status__in=final).count(),
            }
        ]
        if phenomena:
            lines.append(gettext("They were gathered into these phenomena and taken forward:"))
        for phenomenon in phenomena:
            lines.append(f"\n* {phenomenon.name}")
            for step in phenomenon.advocacy_steps.order_by("taken_on", "id"):
                lines.append(
                    "  – "
                    + gettext("%(date)s taken to %(recipient)s.")
                    % {"date": _format_date(step.taken_on), "recipient": step.recipient}
                )
                if step.answer and step.answer_shared:
                    lines.append(
                        "    "
                        + gettext("Answer (%(date)s): %(answer)s")
                        % {
                            "date": _format_date(step.answered_on or step.taken_on),
                            "answer": " ".join(step.answer.split()),
                        }
                    )
            for proposal in phenomenon.proposals.all():
                lines.append(
                    "  – "
                    + gettext("Proposal: %(text)s – %(outcome)s (%(progress)s %%)")
                    % {
                        "text": " ".join(proposal.text.split()),
                        "outcome": proposal.get_outcome_display(),
                        "progress": proposal.progress,
                    }
                )
        if not phenomena:
            lines.append(
                gettext("None of them has been taken to decision makers as a phenomenon yet.")
            )
        return "\n".join(lines)


@transaction.atomic
def send_digest(
    *, actor: AbstractBaseUser, organisation: Organisation, start: Any, end: Any, intro: str
) -> Digest:
    """Tell everyone who reported in [start, end] what was done: a message on the receipt page
    of each report (anonymous reporters see it with their code) and one e-mail per named
    reporter's address who asked for feedback, in the language of their report."""
    bodies = {code: compose_digest(organisation, start, end, code) for code in ("fi", "sv", "en")}
    reports = list(
        Report.objects.of(organisation)
        .filter(submitted_on__range=(start, end))
        .select_related("author", "organisation")
        .order_by("pk")
    )

    def text(language: str) -> str:
        body = bodies.get(language, bodies["fi"])
        return f"{intro}\n\n{body}".strip() if intro else body

    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=report, actor=actor, message=text(report.language), visible_to_reporter=True
        )
        for report in reports
    )
    addresses: dict[str, Report] = {}
    for report in reports:
        address = feedback_address(report)
        if address and address.lower() not in addresses:
            addresses[address.lower()] = report
    mails = []
    for report in addresses.values():
        with translation.override(report.language):
            subject = gettext("What became of the reports of %(period)s – %(organisation)s") % {
                "period": _period(start, end),
                "organisation": organisation.name,
            }
            body = render_to_string("coding/email/digest_body.txt", {"text": text(report.language)})
        mails.append(
            OutboxMessage.objects.create(
                organisation=organisation,
                to=feedback_address(report),
                subject=" ".join(subject.split())[:200],
                body=body,
            )
        )
    digest = Digest.objects.create(
        organisation=organisation,
        period_start=start,
        period_end=end,
        intro=intro,
        body_fi=bodies["fi"],
        body_sv=bodies["sv"],
        body_en=bodies["en"],
        report_count=len(reports),
        mail_count=len(mails),
        created_by=actor,
    )
    record("digest.sent", actor=actor, organisation=organisation, obj=digest)
    for message in mails:
        transaction.on_commit(lambda pk=message.pk: _enqueue_delivery(pk))
    return digest
