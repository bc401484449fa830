"""Blocks the directory adds to shared pages (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest

from quartier.areas.models import Area
from quartier.areas.selectors import descendant_ids
from quartier.directory.models import Organisation
from quartier.directory.rules import organisations_in_scope
from quartier.directory.selectors import public_positions

AREA_LIMIT = 30
DASHBOARD_LIMIT = 10


def area(request: HttpRequest, area: Area) -> dict[str, Any] | None:
    """Organisations working in the area or below it, with their public contact persons.

    Only public fields: the people come through `selectors.public_positions()` and the template
    shows `Person.public_contact()`.
    """
    area_ids = descendant_ids([area.pk])
    contacts = public_positions().select_related("person").order_by("role")
    organisations = list(
        Organisation.objects.active()
        .filter(areas__in=area_ids)
        .distinct()
        .order_by("name")
        .prefetch_related(Prefetch("positions", queryset=contacts, to_attr="public_positions"))[
            : AREA_LIMIT + 1
        ]
    )
    if not organisations:
        return None
    return {
        "organisations": organisations[:AREA_LIMIT],
        "more": len(organisations) > AREA_LIMIT,
    }


def dashboard(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    if not user.has_perm("directory.access_backoffice"):
        return None
    organisations = list(organisations_in_scope(user).order_by("name")[: DASHBOARD_LIMIT + 1])
    return {
        "organisations": organisations[:DASHBOARD_LIMIT],
        "more": len(organisations) > DASHBOARD_LIMIT,
    }
