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
