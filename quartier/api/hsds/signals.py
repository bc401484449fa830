"""A contact person deleted here takes what an HSDS import kept of them along (their HSDS ids,
the kept fields of their contact rows, their further phone numbers; quartier.api.hsds.kept)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete


def forget_person(sender: Any, instance: Any, **kwargs: Any) -> None:
    from quartier.api.hsds.models import ExternalId, Kept

    mapped = ExternalId.objects.filter(kind=ExternalId.Kind.CONTACT, object_id=instance.pk)
    hsds_ids = list(mapped.values_list("hsds_id", flat=True))
    if hsds_ids:
        Kept.objects.filter(
            Q(table="contacts", hsds_id__in=hsds_ids) | Q(scope__in=hsds_ids)
        ).delete()
        mapped.delete()


def connect() -> None:
    from quartier.directory.models import Person

    post_delete.connect(forget_person, sender=Person, dispatch_uid="hsds_forget_person")
