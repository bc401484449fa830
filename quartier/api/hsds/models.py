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


class Kept(models.Model):
    """What an HSDS import read that our catalogue has no field or record for, kept for the
    export (round trip without loss, quartier.api.hsds.kept).

    One record per imported HSDS row. `data` holds the row's fields that our records do not
    store (all of them for a row that became no record of its own: `whole`). `alias` is the id
    the export gives the record made from the row (a derived id for an offer's phone, say): the
    export renames that row back to `hsds_id` and adds `data`. `root` is the offer,
    organisation or location the row belongs to (what the export selects by), `scope` the row
    it refers to, which must be exported for this one to be (a contact's phone, say).
    """

    table = models.CharField(_("table"), max_length=40)
    hsds_id = models.UUIDField(_("HSDS id"))
    alias = models.UUIDField(_("exported as"), null=True, blank=True)
    whole = models.BooleanField(_("whole row"), default=False)
    root = models.UUIDField(_("belongs to"), null=True, blank=True)
    scope = models.UUIDField(_("refers to"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("kept HSDS data")
        verbose_name_plural = _("kept HSDS data")
        constraints = [
            models.UniqueConstraint(fields=["table", "hsds_id"], name="hsds_kept_table_id_uniq")
        ]
        indexes = [
            models.Index(fields=["root"], name="hsds_kept_root_idx"),
            models.Index(fields=["hsds_id"], name="hsds_kept_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.hsds_id}"
