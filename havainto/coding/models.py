"""The theme codebook (teemat) and the handling workspace: states, notes, mail outbox,
saved inbox views and who may read report texts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from havainto.accounts.models import Organisation
from havainto.core.i18n import pick


class ThemeQuerySet(models.QuerySet["Theme"]):
    def current(self) -> "ThemeQuerySet":
        """Themes that are not merged into another: the codebook as it is (hidden included)."""
        return self.filter(merged_into__isnull=True)

    def offered(self) -> "ThemeQuerySet":
        """Themes that may be given to reports and suggested: neither hidden nor merged."""
        return self.filter(merged_into__isnull=True, hidden=False)


class Theme(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(_("code"), max_length=60)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent theme"),
    )
    label_fi = models.CharField(_("label in Finnish"), max_length=200)
    label_sv = models.CharField(_("label in Swedish"), max_length=200, blank=True)
    label_en = models.CharField(_("label in English"), max_length=200, blank=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    # A merged theme is kept (its code, labels and history still resolve) and points to the
    # theme that carries its reports now; see coding.services.merge_themes.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # Concurrent edits in the codebook are version-checked like reports (REL-06).
    version = models.PositiveIntegerField(default=1)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="theme_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self, "label")

    @property
    def description(self) -> str:
        return pick(self, "description")

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class WorkflowState(models.Model):
    """A handling state of an organisation's reports, with the message template that tells
    the reporter about it. The codes of the defaults are those of reports.models.Status."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workflow_states"
    )
    code = models.SlugField(_("code"), max_length=30)
    label_fi = models.CharField(_("name in Finnish"), max_length=100)
    label_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    label_en = models.CharField(_("name in English"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_final = models.BooleanField(
        _("final state"), default=False, help_text=_("Reports in a final state are done.")
    )
    # A state is never deleted (reports and their history name it); a hidden one is no longer
    # offered for new changes.
    hidden = models.BooleanField(_("no longer in use"), default=False)
    template_fi = models.TextField(_("message to the reporter in Finnish"), blank=True)
    template_sv = models.TextField(_("message to the reporter in Swedish"), blank=True)
    template_en = models.TextField(_("message to the reporter in English"), blank=True)

    class Meta:
        verbose_name = _("handling state")
        verbose_name_plural = _("handling states")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="workflow_state_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self, "label")

    def template_in(self, language: str) -> str:
        """The message template in the report's language, falling back to fi, sv, en."""
        return pick(self, "template", language)


class Transition(models.Model):
    """Who moved a report from which state to which, and why (the reason is internal)."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=30)
    to_status = models.CharField(_("to"), max_length=30)
    reason = models.TextField(_("reason"), max_length=2_000)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class InternalNote(models.Model):
    """A note for the handlers. Never shown to the reporter, never in the receipt or API."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4_000)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.report_id}"


class ReportTheme(models.Model):
    """A theme given to a report in handling."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="report_themes"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="report_themes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme of a report")
        verbose_name_plural = _("themes of reports")
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="report_theme_unique")
        ]
        indexes = [models.Index(fields=["theme", "report"])]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.theme_id}"


class OutboxMessage(models.Model):
    """An e-mail to send. Written in the transaction of the change it tells about and sent
    after commit, so a mail failure never loses or duplicates the change (REL-04)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, null=True, related_name="+"
    )
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="outbox_pending",
                condition=models.Q(state="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"mail {self.pk} ({self.state})"


class SavedView(models.Model):
    """A user's named inbox filter: the GET query string of the inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=2_000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "name"], name="saved_view_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InboxVisit(models.Model):
    """Per user and organisation: the highest report id seen. Report ids only grow, so
    "new since the last visit" is id > seen_up_to, counted on the primary-key index."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The watermark of the previous visit (what counts as new during this visit) ...
    seen_up_to = models.BigIntegerField(default=0)
    # ... and the highest id shown during this visit, which becomes it on the next visit.
    latest_seen = models.BigIntegerField(default=0)
    visited_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="inbox_visit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organisation_id}: {self.seen_up_to}"


class TextGrant(models.Model):
    """Lets a reader (leadership) read report texts, which readers otherwise never see."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access to report texts")
        verbose_name_plural = _("accesses to report texts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="text_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organisation_id}"


# --- Phenomena (ilmiöt) and their advocacy path ---------------------------------------------


class Phenomenon(models.Model):
    """Reports gathered under one name by a coordinator, with proposals for action and the
    path along which it was taken to decision makers (the "accountability" of Decidim).

    A merged phenomenon is kept, pointing at the one it was merged into, so old links and the
    history still resolve; a split one names the phenomenon it came from.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged into another")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="phenomena"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=8_000, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="phenomena", verbose_name=_("themes")
    )
    reports = models.ManyToManyField(
        "reports.Report",
        through="PhenomenonReport",
        related_name="phenomena",
        verbose_name=_("supporting reports"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="split_into",
        verbose_name=_("split from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("phenomenon")
        verbose_name_plural = _("phenomena")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state", "-updated_at"])]

    def __str__(self) -> str:
        return self.name


class PhenomenonReport(models.Model):
    """A report supporting a phenomenon: who added it and when."""

    phenomenon = models.ForeignKey(Phenomenon, on_delete=models.CASCADE, related_name="links")
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="phenomenon_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phenomenon", "report"], name="phenomenon_report_unique"
            )
        ]
        indexes = [models.Index(fields=["report", "phenomenon"])]

    def __str__(self) -> str:
        return f"{self.phenomenon_id}: {self.report_id}"


class Proposal(models.Model):
    """A proposal for action of a phenomenon and its outcome, followed to the end."""

    class Outcome(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        PARTLY = "partly", _("Partly implemented")
        NOT_IMPLEMENTED = "not_implemented", _("Not implemented")

    phenomenon = models.ForeignKey(Phenomenon, on_delete=models.CASCADE, related_name="proposals")
    text = models.TextField(_("proposal for action"), max_length=4_000)
    addressed_to = models.CharField(_("addressed to"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PROPOSED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    outcome_note = models.TextField(_("what was done"), max_length=4_000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposal for action")
        verbose_name_plural = _("proposals for action")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="proposal_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class AdvocacyStep(models.Model):
    """One step of the advocacy path: to whom the phenomenon was taken, when, and the answer."""

    class RecipientKind(models.TextChoices):
        BOARD = "board", _("Board or committee")
        COUNCIL = "council", _("Council")
        LEADERSHIP = "leadership", _("Leadership")
        OFFICIAL = "official", _("Official")
        FORUM = "forum", _("Forum or network")
        OTHER = "other", _("Other")

    phenomenon = models.ForeignKey(
        Phenomenon, on_delete=models.CASCADE, related_name="advocacy_steps"
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advocacy_steps",
        verbose_name=_("proposal"),
    )
    recipient = models.CharField(_("taken to"), max_length=200)
    recipient_kind = models.CharField(
        _("kind of recipient"),
        max_length=12,
        choices=RecipientKind.choices,
        default=RecipientKind.BOARD,
    )
    taken_on = models.DateField(_("date"))
    summary = models.TextField(_("what was presented"), max_length=4_000, blank=True)
    answer = models.TextField(_("answer"), max_length=8_000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=200, blank=True)
    answer_shared = models.BooleanField(_("answer shown to the reporters"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("advocacy step")
        verbose_name_plural = _("advocacy steps")
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.taken_on}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class Digest(models.Model):
    """A "you said, we did" message to everyone who reported in a period: on the receipt page
    of each of the period's reports, and by e-mail to named reporters who asked for feedback."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    intro = models.TextField(_("introduction"), max_length=4_000, blank=True)
    body_fi = models.TextField(blank=True)
    body_sv = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    report_count = models.PositiveIntegerField(default=0)
    mail_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}"


# --- Passages of report texts: quotes and redaction ----------------------------------------
# A passage is (field, start, end) in the current text of a report (havainto.lib.passages).


class ReportTextField(models.TextChoices):
    """The free-text fields of a report that passages are taken from."""

    TITLE = "title", _("Title")
    DESCRIPTION = "description", _("Observation")
    CAUSES = "causes", _("Causes and societal connections")
    SERVICE_EFFECTS = "service_effects", _("Effects of services")
    PROPOSAL = "proposal", _("Proposal for action")


def _text_at_offsets(prefix: str = "report__") -> models.Case:
    """SQL for the report's text at the row's (field, start, end): what is there now."""
    from django.db.models.functions import Substr

    return models.Case(
        *[
            models.When(
                field=name,
                then=Substr(
                    f"{prefix}{name}", models.F("start") + 1, models.F("end") - models.F("start")
                ),
            )
            for name in ReportTextField.values
        ],
        output_field=models.TextField(),
    )


class QuoteQuerySet(models.QuerySet["Quote"]):
    def of(self, organisation: Organisation) -> "QuoteQuerySet":
        return self.filter(report__organisation=organisation)

    def current(self) -> "QuoteQuerySet":
        """Quotes whose report still holds their text at their offsets."""
        return self.alias(text_now=_text_at_offsets()).filter(text_now=models.F("text"))

    def approved(self) -> "QuoteQuerySet":
        return self.filter(approved_for_publication=True)


class Quote(models.Model):
    """A passage of a report coded with a theme. A coordinator's approval ("checked for
    identifiability", LEG-08) lets summaries publish it; the approval holds only while the
    report still says exactly this (a redaction under it takes the approval away)."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="quotes")
    field = models.CharField(_("text field"), max_length=20, choices=ReportTextField.choices)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    text = models.TextField(_("quote"))
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("theme")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    approved_for_publication = models.BooleanField(
        _("checked for identifiability"),
        default=False,
        help_text=_("A coordinator has checked that no one can be recognised from the quote."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["theme__order", "theme_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="quote_span_valid"
            ),
        ]
        indexes = [models.Index(fields=["theme", "approved_for_publication"])]

    def __str__(self) -> str:
        return f"quote {self.pk} of {self.report_id}"

    @property
    def is_current(self) -> bool:
        return getattr(self.report, self.field)[self.start : self.end] == self.text


def publishable_quotes(organisation: Organisation, theme: Theme | None = None) -> QuoteQuerySet:
    """The quotes summaries may publish: approved by a coordinator and still what the report
    says (a redaction under a quote takes its approval away; this checks the text anyway)."""
    quotes = Quote.objects.of(organisation).approved().current().select_related("theme", "report")
    if theme is not None:
        quotes = quotes.filter(theme=theme)
    return quotes


class Redaction(models.Model):
    """A passage of a report replaced by a marker. start/end are the marker's place in the
    redacted text. The original is kept for coordinators until original_kept_until (the
    organisation's retention), then erased by `havainto purge_redactions`."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="redactions"
    )
    field = models.CharField(_("text field"), max_length=20, choices=ReportTextField.choices)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    original = models.TextField(_("original passage"), blank=True)
    reason = models.TextField(_("reason"), max_length=2_000)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    original_kept_until = models.DateField(_("original kept until"))
    original_purged_at = models.DateTimeField(_("original erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["original_kept_until"],
                name="redaction_to_purge",
                condition=models.Q(original_purged_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"redaction {self.pk} of {self.report_id}"

    @property
    def original_available(self) -> bool:
        return self.original_purged_at is None


class RedactionCandidate(models.Model):
    """A place in a report where the personal-data detector (havainto.lib.pii) found
    something: the redaction queue. passage_hash (SHA-256 of the passage) remembers what a
    dismissal was about, so that it holds until the text there changes; it is emptied when the
    passage is redacted."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Not personal data")
        REDACTED = "redacted", _("Redacted")

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="redaction_candidates"
    )
    field = models.CharField(_("text field"), max_length=20, choices=ReportTextField.choices)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    kind = models.CharField(_("kind"), max_length=20)
    confidence = models.CharField(_("confidence"), max_length=10)
    passage_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    redaction = models.ForeignKey(
        Redaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("possible personal data")
        verbose_name_plural = _("possible personal data")
        ordering = ["report_id", "field", "start", "id"]
        indexes = [
            models.Index(fields=["state", "report"], name="redaction_candidate_state"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} in {self.report_id}.{self.field} ({self.state})"


# --- Codebook ------------------------------------------------------------------------------


class ThemeChange(models.Model):
    """One change of a theme in the codebook, with the values before and after (curated
    labels and codes only, never report text). Written by every codebook service."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        RENAMED = "renamed", _("Labels or descriptions changed")
        MOVED = "moved", _("Moved")
        REORDERED = "reordered", _("Order changed")
        HIDDEN = "hidden", _("Hidden")
        SHOWN = "shown", _("Shown again")
        MERGED = "merged", _("Merged into another theme")
        RECEIVED = "received", _("Another theme merged into this one")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of a theme")
        verbose_name_plural = _("changes of themes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["theme", "created_at"])]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.kind}"
