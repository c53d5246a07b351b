"""The theme codebook (teemat). Part 2 adds coding of reports and passages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from havainto.accounts.models import Organisation
from havainto.core.i18n import pick


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
