"""Organisations (wellbeing services counties or cities), their structure, and who works there."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from havainto.core.i18n import pick

REDACTION_RETENTION_DEFAULT = 30
REDACTION_RETENTION_MAX = 365


class Organisation(models.Model):
    """A wellbeing services county or city. Every row of data belongs to exactly one."""

    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    languages = models.JSONField(
        _("report languages"), default=list, help_text=_("Languages offered on the form.")
    )
    allow_anonymous = models.BooleanField(
        _("accepts reports without login"),
        default=True,
        help_text=_("When off, only logged-in members of the organisation can report."),
    )
    # How long coordinators can still read what a redaction removed (coding.Redaction).
    redaction_original_retention_days = models.PositiveSmallIntegerField(
        _("days the original of a redacted passage is kept"),
        default=REDACTION_RETENTION_DEFAULT,
        validators=[MaxValueValidator(REDACTION_RETENTION_MAX)],
        help_text=_(
            "Coordinators can read the original of a redacted passage for this many days; then "
            "it is erased for good. 0 erases it at the next daily clean-up."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def is_bilingual(self) -> bool:
        return "sv" in self.languages and "fi" in self.languages


class Municipality(models.Model):
    """A municipality of the organisation, identified by Statistics Finland's number."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="municipalities"
    )
    code = models.CharField(_("municipality number"), max_length=3)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="municipality_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")


class ServiceLine(models.Model):
    """A service line or area of responsibility (palvelulinja, vastuualue)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="service_lines"
    )
    code = models.SlugField(_("code"), max_length=50)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("service line")
        verbose_name_plural = _("service lines")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="service_line_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")


class Unit(models.Model):
    """A unit or team (yksikkö). Optional on reports and never shown in published outputs."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    service_line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="units")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    HANDLER = "handler", _("Handler (unit supervisor)")
    COORDINATOR = "coordinator", _("Coordinator")
    READER = "reader", _("Reader (leadership)")
    ADMIN = "admin", _("Organisation admin")


class Membership(models.Model):
    """A user's role in one organisation. A handler's membership names the unit they handle.

    A reporter's membership may carry the context (municipality, service line, unit, role)
    that the reporting form prefills.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True)
    service_line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, null=True, blank=True)
    reporter_role = models.CharField(_("professional role"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation.slug}: {self.role}"
