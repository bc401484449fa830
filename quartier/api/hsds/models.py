"""HSDS identifiers of records whose own primary key is not a UUID.

Offers, locations, schedules and taxonomies use UUIDs that are their HSDS ids. Organisations
and contact persons have integer keys, so their HSDS ids live here: a re-import finds the record
again (idempotent), and a database filled by an import exports the same ids (round trip).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalId(models.Model):
    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("organisation")
        CONTACT = "contact", _("contact")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    hsds_id = models.UUIDField(_("HSDS id"), unique=True)
    object_id = models.PositiveBigIntegerField(_("record"))
    # A contact in HSDS belongs to one service: the same person may be the contact of
    # several offers, each with its own HSDS contact id.
    scope = models.UUIDField(_("offer"), null=True, blank=True)

    class Meta:
        verbose_name = _("HSDS identifier")
        verbose_name_plural = _("HSDS identifiers")
        indexes = [models.Index(fields=["kind", "object_id"], name="hsds_extid_object_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} = {self.hsds_id}"
