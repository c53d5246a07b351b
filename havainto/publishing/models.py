"""Public pages an organisation edits itself: the accessibility statement and privacy notice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from havainto.accounts.models import Organisation
from havainto.core.i18n import pick


class OrganisationPage(models.Model):
    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        PRIVACY = "privacy", _("Privacy notice")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pages")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body_fi = models.TextField(_("text in Finnish"), blank=True, max_length=50_000)
    body_sv = models.TextField(_("text in Swedish"), blank=True, max_length=50_000)
    body_en = models.TextField(_("text in English"), blank=True, max_length=50_000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_page_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug}: {self.kind}"

    @property
    def body(self) -> str:
        return pick(self, "body")
