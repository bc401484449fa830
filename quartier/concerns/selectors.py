"""Reads of concerns: routing, what may be shown publicly, nearby concerns, who is told."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.db.models.functions import Length, Substr

from quartier.accounts.models import Role, RoleAssignment
from quartier.areas.models import Area, AreaLink
from quartier.areas.selectors import ancestor_ids, descendant_ids
from quartier.concerns.models import Category, Concern, RoutingRule, Update
from quartier.core import geo
from quartier.networks.models import Decision, Minutes

MAX_DEPTH = 12
NEARBY_METRES = 300
NEARBY_MAX = 10


def area_distances(area_id: int) -> dict[int, int]:
    """The area and every area above it, with how many levels up (0: the area)."""
    distances = {area_id: 0}
    frontier = {area_id}
    for level in range(1, MAX_DEPTH):
        parents = set(
            AreaLink.objects.filter(child_id__in=frontier).values_list("parent_id", flat=True)
        )
        frontier = parents - distances.keys()
        if not frontier:
            break
        for pk in frontier:
            distances[pk] = level
    return distances


def route(*, area: Area, category: Category) -> RoutingRule | None:
    """The most specific rule for this area and category: a rule naming the category before
    one for any category; within those, the rule of the nearest area (an empty area last)."""
    distances = area_distances(area.pk)
    rules = RoutingRule.objects.filter(
        Q(category=category) | Q(category__isnull=True),
        Q(area_id__in=distances) | Q(area__isnull=True),
    ).select_related("body", "organisation", "person")

    def rank(rule: RoutingRule) -> tuple[int, int]:
        return (
            0 if rule.category_id else 1,
            distances[rule.area_id] if rule.area_id else MAX_DEPTH,
        )

    ranked = sorted(rules, key=rank)
    return ranked[0] if ranked else None


def locate(lat: float, lon: float) -> Area | None:
    """The smallest public area containing the point (deepest kind level), or None."""
    areas = [area for area in Area.objects.public().containing_point(lat, lon)]
    if not areas:
        return None
    return max(areas, key=lambda area: (area.kind.level, -area.pk))


def public_concerns(filters: dict | None = None) -> QuerySet[Concern]:
    """Concerns for the public list, map and Open311: no merged duplicates, public areas."""
    concerns = Concern.objects.public().filter(area__is_public=True)
    filters = filters or {}
    if filters.get("area"):
        concerns = concerns.filter(area_id__in=descendant_ids([filters["area"].pk]))
    if filters.get("category"):
        concerns = concerns.filter(category=filters["category"])
    if filters.get("status"):
        concerns = concerns.filter(status=filters["status"])
    return concerns


# The columns of a point on the public map (map_points); the description only as far as the
# summary needs it (a description may have 100,000 characters).
MAP_COLUMNS = (
    "pk",
    "lat",
    "lon",
    "status",
    "head",
    "description_length",
    "created_at",
    "category__name",
)
SUMMARY_SOURCE = 600


def map_points(concerns: QuerySet[Concern], *, limit: int) -> list[tuple]:
    """Rows (MAP_COLUMNS) of the concerns with a place, newest first, at most `limit`: plain
    tuples, no model instances (the map asks for thousands at once)."""
    return list(
        concerns.filter(lat__isnull=False, lon__isnull=False)
        .annotate(
            head=Substr("description", 1, SUMMARY_SOURCE), description_length=Length("description")
        )
        .order_by("-created_at", "-pk")
        .values_list(*MAP_COLUMNS)[:limit]
    )


def public_updates(concern: Concern) -> list[Update]:
    return list(concern.updates.filter(is_public=True).order_by("created_at", "pk"))


def agenda_decisions(concern: Concern) -> list[Decision]:
    """The decisions of public, approved minutes on the concern's agenda item."""
    if not concern.agenda_item_id:
        return []
    return list(
        Decision.objects.filter(
            agenda_item_id=concern.agenda_item_id, minutes__in=Minutes.objects.public()
        ).select_related("minutes__meeting")
    )


def nearby(
    *, lat: float, lon: float, exclude: int | None = None, category: Category | None = None
) -> list[Concern]:
    """Open public concerns within NEARBY_METRES of the point, nearest first (duplicates)."""
    box = geo.bbox_around(lat, lon, NEARBY_METRES)
    rows = Concern.objects.public().open()
    rows = rows.in_bbox(box.min_lon, box.min_lat, box.max_lon, box.max_lat)
    if exclude:
        rows = rows.exclude(pk=exclude)
    if category is not None:
        rows = rows.filter(category=category)
    found = [
        (geo.distance_m(lat, lon, concern.lat, concern.lon), concern)
        for concern in rows.select_related("category")[:200]
    ]
    found.sort(key=lambda pair: pair[0])
    return [concern for _distance, concern in found[:NEARBY_MAX]]


def responsible_users(concern: Concern) -> QuerySet:
    """Who is told of a new concern: the routed organisation's coordinators (and editors),
    the routed body's coordinating organisation's coordinators, the routed person's login;
    for a concern in the default inbox the coordinators and planners of its area and above."""
    roles = RoleAssignment.objects.active()
    wanted = Q(pk__in=[])
    if concern.organisation_id:
        wanted |= Q(
            pk__in=roles.filter(
                organisation_id=concern.organisation_id, role__in=[Role.COORDINATOR, Role.EDITOR]
            ).values("user_id")
        )
    if concern.body_id and concern.body.coordinating_organisation_id:
        wanted |= Q(
            pk__in=roles.filter(
                organisation_id=concern.body.coordinating_organisation_id, role=Role.COORDINATOR
            ).values("user_id")
        )
    if concern.person_id and concern.person.user_id:
        wanted |= Q(pk=concern.person.user_id)
    if concern.flagged:
        wanted |= Q(
            pk__in=roles.filter(
                area_id__in=ancestor_ids([concern.area_id]),
                role__in=[Role.COORDINATOR, Role.PLANNER],
            ).values("user_id")
        )
    return get_user_model().objects.filter(wanted, is_active=True).exclude(email="")
