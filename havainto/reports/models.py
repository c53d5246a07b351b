"""Reports (havainnot), the vocabularies of the form, drafts and what the reporter is told."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from havainto.accounts.models import Municipality, Organisation, ServiceLine, Unit
from havainto.core.i18n import pick

TITLE_MAX = 200
TEXT_MAX = 10_000
SHORT_TEXT_MAX = 4_000


class VocabularyKind(models.TextChoices):
    OBSERVATION_TYPE = "observation_type", _("Observation types")
    SUPPORT_NEED = "support_need", _("Support needs (SHL 11 §)")
    SECTOR = "sector", _("Sectors involved")
    CLIENT_GROUP = "client_group", _("Client groups")
    REPORTER_ROLE = "reporter_role", _("Reporter roles")
    RECURRENCE = "recurrence", _("Recurrence")
    CLIENTS_AFFECTED = "clients_affected", _("Clients affected")
    PROPOSAL_LEVEL = "proposal_level", _("Proposal levels")


class VocabularyEntryQuerySet(models.QuerySet["VocabularyEntry"]):
    def of(self, organisation: Organisation, kind: str) -> "VocabularyEntryQuerySet":
        return self.filter(organisation=organisation, kind=kind)

    def visible(self) -> "VocabularyEntryQuerySet":
        return self.filter(hidden=False)


class VocabularyEntry(models.Model):
    """One entry of a pick-list. Codes are stable; labels, order and visibility are the org's."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vocabulary"
    )
    kind = models.CharField(_("vocabulary"), max_length=30, choices=VocabularyKind.choices)
    code = models.CharField(_("code"), max_length=40)
    label_fi = models.CharField(_("label in Finnish"), max_length=200)
    label_sv = models.CharField(_("label in Swedish"), max_length=200, blank=True)
    label_en = models.CharField(_("label in English"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden entries are not offered on the form.")
    )

    objects = VocabularyEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("vocabulary entry")
        verbose_name_plural = _("vocabulary entries")
        ordering = ["kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "code"], name="vocabulary_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self, "label")


class ExtraQuestion(models.Model):
    """An organisation's own question on the form, added without code."""

    class Kind(models.TextChoices):
        CHOICE = "choice", _("One choice")
        MULTI = "multi", _("Several choices")
        TEXT = "text", _("Short text")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="extra_questions"
    )
    kind = models.CharField(_("answer type"), max_length=10, choices=Kind.choices)
    label_fi = models.CharField(_("question in Finnish"), max_length=300)
    label_sv = models.CharField(_("question in Swedish"), max_length=300, blank=True)
    label_en = models.CharField(_("question in English"), max_length=300, blank=True)
    # [{"code": "a", "fi": "...", "sv": "...", "en": "..."}] for the choice kinds.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self, "label")

    def choice_pairs(self) -> list[tuple[str, str]]:
        from havainto.core.i18n import active_language

        lang = active_language()
        return [(c["code"], c.get(lang) or c.get("fi") or c["code"]) for c in self.choices]


class Status(models.TextChoices):
    """The default handling states. Part 2 makes them configurable per organisation."""

    RECEIVED = "received", _("Received")
    IN_HANDLING = "in_handling", _("In handling")
    CODED = "coded", _("Coded")
    FORWARDED = "forwarded", _("Forwarded")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ReportQuerySet(models.QuerySet["Report"]):
    def of(self, organisation: Organisation) -> "ReportQuerySet":
        return self.filter(organisation=organisation)


class Report(models.Model):
    """One observation from client work. Holds no client-identifying data by construction."""

    class Channel(models.TextChoices):
        FORM = "form", _("Form")
        API = "api", _("API")
        DEMO = "demo", _("Demo data")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Context
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality"), related_name="+"
    )
    service_line = models.ForeignKey(
        ServiceLine, on_delete=models.PROTECT, verbose_name=_("service line"), related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("unit"),
        related_name="+",
    )
    reporter_role = models.ForeignKey(
        VocabularyEntry,
        on_delete=models.PROTECT,
        verbose_name=_("reporter role"),
        related_name="+",
    )
    language = models.CharField(_("language of the report"), max_length=2)
    # The observation
    observation_type = models.ForeignKey(
        VocabularyEntry,
        on_delete=models.PROTECT,
        verbose_name=_("type of observation"),
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=TEXT_MAX)
    client_groups = models.ManyToManyField(
        VocabularyEntry, verbose_name=_("client groups"), related_name="+", blank=True
    )
    support_needs = models.ManyToManyField(
        VocabularyEntry, verbose_name=_("support needs (SHL 11 §)"), related_name="+", blank=True
    )
    sectors = models.ManyToManyField(
        VocabularyEntry, verbose_name=_("sectors involved"), related_name="+", blank=True
    )
    recurrence = models.ForeignKey(
        VocabularyEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("recurrence"),
        related_name="+",
    )
    clients_affected = models.ForeignKey(
        VocabularyEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("clients affected"),
        related_name="+",
    )
    causes = models.TextField(
        _("causes and societal connections"), blank=True, max_length=SHORT_TEXT_MAX
    )
    service_effects = models.TextField(
        _("effects of services"), blank=True, max_length=SHORT_TEXT_MAX
    )
    # The proposal
    proposal = models.TextField(_("proposal for action"), blank=True, max_length=SHORT_TEXT_MAX)
    proposal_level = models.ForeignKey(
        VocabularyEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("proposal addressed to"),
        related_name="+",
    )
    extra_answers = models.JSONField(_("answers to extra questions"), default=dict, blank=True)
    # Follow-up. Anonymous reports carry no link to any account (author stays empty).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("named reporter"),
    )
    contact_name = models.CharField(_("name for feedback"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail for feedback"), blank=True)
    wants_feedback = models.BooleanField(_("wants feedback"), default=False)
    # Day precision on purpose: a timestamp could be joined with access logs (LEG-09).
    submitted_on = models.DateField(_("submitted on"), db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.FORM)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED
    )
    receipt_hash = models.CharField(max_length=64, unique=True)
    submission_key = models.CharField(max_length=100, unique=True)
    request_fingerprint = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    # Handling (part 2): who handles the report now. Indexed with the inbox order below.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("assigned to"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-submitted_on", "-id"]
        indexes = [
            # The inbox's keyset pages: (submitted_on, id) within an organisation, a status
            # (the inbox's status filter, read in the page's own order: without the id it
            # walked the organisation's index instead, testing the status of every report), a
            # unit (handlers) or an assignee ("assigned to me"). See coding/forms/inbox.py.
            models.Index(
                fields=["organisation", "status", "-submitted_on", "-id"],
                name="report_inbox_status",
            ),
            models.Index(fields=["organisation", "-submitted_on", "-id"], name="report_inbox_org"),
            models.Index(fields=["unit", "-submitted_on", "-id"], name="report_inbox_unit"),
            models.Index(fields=["assignee", "-submitted_on", "-id"], name="report_inbox_assignee"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_anonymous(self) -> bool:
        return self.author_id is None and not self.contact_name and not self.contact_email


class ReportEvent(models.Model):
    """A status change or a message on a report; those marked for the reporter show on the
    receipt page."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=30, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=TEXT_MAX)
    visible_to_reporter = models.BooleanField(_("shown to the reporter"), default=False)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.status or 'message'}"

    def get_status_label(self) -> str:
        return status_label(self.status)


class ReportDraft(models.Model):
    """A logged-in reporter's unfinished form, saved on the server (never in the browser)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_draft_per_form")
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} v{self.version}"


def status_label(code: str) -> str:
    return str(Status(code).label) if code in Status.values else code
