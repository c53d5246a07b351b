"""The organisation's workflow states: the defaults, their labels, and their settings."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.coding.models import WorkflowState
from havainto.reports.models import Status


class InvalidTransition(Exception):
    """The state is not one of the organisation's, or the report is in it already."""


# (code, fi, sv, en, final, template fi, sv, en). The codes are those of reports.Status.
DEFAULT_STATES: list[tuple[str, str, str, str, bool, str, str, str]] = [
    (
        Status.RECEIVED,
        "Vastaanotettu",
        "Mottagen",
        "Received",
        False,
        "Havaintosi on vastaanotettu. Kiitos, että raportoit.",
        "Din observation har tagits emot. Tack för att du rapporterade.",
        "Your report has been received. Thank you for reporting.",
    ),
    (
        Status.IN_HANDLING,
        "Käsittelyssä",
        "Under behandling",
        "In handling",
        False,
        "Havaintosi on otettu käsittelyyn.",
        "Din observation behandlas nu.",
        "Your report is now being handled.",
    ),
    (
        Status.CODED,
        "Luokiteltu",
        "Klassificerad",
        "Coded",
        False,
        "Havaintosi on luokiteltu ja se on mukana seuraavassa koosteessa.",
        "Din observation har klassificerats och ingår i nästa sammanställning.",
        "Your report has been coded and will be part of the next summary.",
    ),
    (
        Status.FORWARDED,
        "Välitetty eteenpäin",
        "Vidarebefordrad",
        "Forwarded",
        False,
        "Havaintosi on välitetty eteenpäin niille, jotka voivat vaikuttaa asiaan.",
        "Din observation har vidarebefordrats till dem som kan påverka saken.",
        "Your report has been forwarded to those who can act on it.",
    ),
    (
        Status.ANSWERED,
        "Vastattu",
        "Besvarad",
        "Answered",
        False,
        "Havaintoosi on vastattu.",
        "Din observation har besvarats.",
        "Your report has been answered.",
    ),
    (
        Status.CLOSED,
        "Suljettu",
        "Avslutad",
        "Closed",
        True,
        "Havaintosi käsittely on päättynyt. Kiitos!",
        "Behandlingen av din observation är avslutad. Tack!",
        "The handling of your report has ended. Thank you!",
    ),
]


def workflow_states(organisation: Organisation) -> list[WorkflowState]:
    """The organisation's states in order; the defaults are created the first time."""
    states = list(WorkflowState.objects.filter(organisation=organisation))
    if states:
        return states
    WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                organisation=organisation,
                code=code,
                label_fi=fi,
                label_sv=sv,
                label_en=en,
                order=order,
                is_final=final,
                template_fi=t_fi,
                template_sv=t_sv,
                template_en=t_en,
            )
            for order, (code, fi, sv, en, final, t_fi, t_sv, t_en) in enumerate(DEFAULT_STATES)
        ],
        ignore_conflicts=True,  # two first requests at once
    )
    return list(WorkflowState.objects.filter(organisation=organisation))


def state_labels(organisation: Organisation) -> dict[str, str]:
    return {state.code: state.label for state in workflow_states(organisation)}


# --- Workflow settings -------------------------------------------------------------------

STATE_FIELDS = (
    "label_fi",
    "label_sv",
    "label_en",
    "order",
    "is_final",
    "hidden",
    "template_fi",
    "template_sv",
    "template_en",
)


@transaction.atomic
def update_workflow_state(
    *, actor: AbstractBaseUser, state: WorkflowState, values: dict[str, Any]
) -> WorkflowState:
    changed = [name for name in STATE_FIELDS if getattr(state, name) != values[name]]
    for name in changed:
        setattr(state, name, values[name])
    if changed:
        state.save(update_fields=changed)
        record(
            "workflow_state.changed",
            actor=actor,
            organisation=state.organisation,
            obj=state,
            fields=changed,
        )
    return state


@transaction.atomic
def add_workflow_state(
    *, actor: AbstractBaseUser, organisation: Organisation, code: str, values: dict[str, Any]
) -> WorkflowState:
    workflow_states(organisation)  # the defaults first, so that they are not skipped
    state = WorkflowState.objects.create(
        organisation=organisation, code=code, **{name: values[name] for name in STATE_FIELDS}
    )
    record("workflow_state.added", actor=actor, organisation=organisation, obj=state)
    return state
