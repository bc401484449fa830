"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

SECTION_SIZE = 5
NEWSPAPER_SIZE = 40


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """The newest open concerns the user handles."""
    if not user.has_perm("concerns.view_inbox"):
        return None
    from quartier.concerns.backoffice import handled

    concerns = handled(user).open().select_related("category", "area")
    return {"concerns": list(concerns[:SECTION_SIZE])}


def _new_concerns(area, since) -> list:
    from quartier.alerts.sources import Item
    from quartier.concerns import selectors

    concerns = (
        selectors.public_concerns({"area": area})
        .filter(created_at__gt=since)
        .select_related("category", "area")
        .order_by("created_at")
    )
    return [
        Item(
            title=f"{concern.number} {concern.category.name} ({concern.area.name})",
            url=settings.SITE_URL + concern.get_absolute_url(),
            summary=concern.summary,
        )
        for concern in concerns[:200]
    ]


def _list_url(area) -> str:
    return f"{settings.SITE_URL}{reverse('concerns:list')}?area={area.slug}"


def register_alerts() -> None:
    """Residents subscribe to new concerns of an area through the alerts app's double
    opt-in (alerts/sources.py): alerts never imports concerns."""
    from quartier.alerts import sources

    sources.register(
        sources.Source(
            key="concerns",
            label=lambda area: _("New concerns in %(area)s") % {"area": area.name},
            items=_new_concerns,
            list_url=_list_url,
        )
    )


def newspaper_solved(area, start: dt.date, end: dt.date) -> list:
    """The district newspaper's section: concerns solved in the issue's period. Only the
    category, the area and the date: a printed paper for every household does not repeat
    what residents wrote in their own words."""
    from quartier.concerns import selectors
    from quartier.concerns.models import Status
    from quartier.core.registry import NewspaperItem

    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    concerns = (
        selectors.public_concerns({"area": area})
        .filter(status=Status.SOLVED, closed_at__gte=low, closed_at__lt=high)
        .select_related("category", "area")
        .order_by("closed_at", "pk")
    )
    return [
        NewspaperItem(
            title=f"{concern.category.name} ({concern.area.name})",
            when=_("solved on %(date)s")
            % {"date": formats.date_format(timezone.localtime(concern.closed_at))},
            text=concern.number,
            url=concern.get_absolute_url(),
        )
        for concern in concerns[:NEWSPAPER_SIZE]
    ]


def register_newspaper() -> None:
    """publications never imports concerns: the section comes through the registry."""
    from django.utils.translation import gettext_lazy

    from quartier.core.registry import NewspaperSection, registry

    registry.add_newspaper_section(
        NewspaperSection("concerns", gettext_lazy("Solved concerns"), newspaper_solved, 50)
    )
