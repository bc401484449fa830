"""Reads for the calendar: filtered event lists, the month grid, public helper counts."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from quartier.areas.selectors import descendant_ids, reach
from quartier.events.models import Event, Registration, RegistrationStatus, Shift, ShiftSignup
from quartier.events.rules import area_ids as managed_event_area_ids
from quartier.events.rules import organisation_ids
from quartier.networks.models import Body
from quartier.offers.models import TaxonomyTerm

EventArea = Event.areas.through
EventTargetGroup = Event.target_groups.through
EventTopic = Event.topics.through


def topic_subtree_ids(topic_ids: Iterable[Any]) -> set[Any]:
    """The given topics and every narrower one below them (one query a level; the topic
    hierarchy is shallow)."""
    found = set(topic_ids)
    level = set(found)
    while level:
        level = (
            set(TaxonomyTerm.objects.filter(parent_id__in=level).values_list("pk", flat=True))
            - found
        )
        found |= level
    return found


def _with_topics(events: QuerySet[Event], topic_ids: Iterable[Any]) -> QuerySet[Event]:
    ids = topic_subtree_ids(topic_ids)
    return events.filter(
        pk__in=EventTopic.objects.filter(taxonomyterm_id__in=ids).values("event_id")
    )


def calendar_events(filters: dict[str, Any] | None = None) -> QuerySet[Event]:
    """Published events matching the calendar filters (area includes the areas below it)."""
    events = Event.objects.published().select_related("category")
    filters = filters or {}
    if filters.get("area"):
        ids = descendant_ids([filters["area"].pk])
        events = events.filter(pk__in=EventArea.objects.filter(area_id__in=ids).values("event_id"))
    if filters.get("category"):
        events = events.filter(category=filters["category"])
    if filters.get("topic"):
        events = _with_topics(events, [filters["topic"].pk])
    if filters.get("target_group"):
        events = events.filter(
            pk__in=EventTargetGroup.objects.filter(
                targetgroup_id=filters["target_group"].pk
            ).values("event_id")
        )
    if filters.get("free"):
        events = events.filter(is_free=True)
    return events.order_by("starts_at", "pk")


def new_public_events(
    *,
    area_id: int | None,
    topic_ids: Iterable[Any],
    since: dt.datetime,
    until: dt.datetime,
) -> QuerySet[Event]:
    """Events first published in (since, until], still to come, neither cancelled nor
    unpublished, in the area (and below it, and in the areas enclosing it, as offer alerts
    do: a city-wide event is news for every quarter) and under one of the topics (or a
    narrower one). No area or no topics: that filter is left out. For event alerts."""
    events = (
        Event.objects.public()
        .upcoming(until)
        .filter(first_published_at__gt=since, first_published_at__lte=until)
    )
    if area_id is not None:
        areas = reach([area_id]).all
        events = events.filter(
            pk__in=EventArea.objects.filter(area_id__in=areas).values("event_id")
        )
    topic_ids = list(topic_ids)
    if topic_ids:
        events = _with_topics(events, topic_ids)
    return events.order_by("starts_at", "pk")


@dataclass(frozen=True)
class Entry:
    """An event as the month table shows it, prepared once per event (not per day, not in the
    template): the month view of 2,000 events spent most of its time in reverse() and filters."""

    url: str
    title: str
    time: str
    cancelled: bool


@dataclass
class Day:
    date: dt.date
    in_month: bool
    events: list[Entry] = field(default_factory=list)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(following, dt.time.min))
    return start, end


def month_grid(year: int, month: int, events: QuerySet[Event]) -> list[list[Day]]:
    """Weeks (Monday first) of the month; an event that crosses midnight appears on each day
    it touches. One query for the events, whatever their number."""
    start, end = month_bounds(year, month)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    by_date: dict[dt.date, list[Entry]] = defaultdict(list)
    first_day, last_day = weeks[0][0], weeks[-1][-1]
    prefix = reverse("events:detail", kwargs={"slug": "slug-marker"}).split("slug-marker")[0]
    for event in events.overlapping(start, end):
        local_start = timezone.localtime(event.starts_at)
        entry = Entry(
            url=f"{prefix}{event.slug}/",
            title=event.title,
            time="" if event.all_day else f"{local_start:%H:%M}",
            cancelled=event.is_cancelled,
        )
        day = max(local_start.date(), first_day)
        # An event ending exactly at midnight does not occupy the next day.
        last = timezone.localtime(event.ends_at - dt.timedelta(microseconds=1)).date()
        last = min(max(last, day), last_day)
        while day <= last:
            by_date[day].append(entry)
            day += dt.timedelta(days=1)
    return [[Day(d, d.month == month, by_date.get(d, [])) for d in week] for week in weeks]


def event_detail_queryset() -> QuerySet[Event]:
    return Event.objects.select_related("category").prefetch_related(
        "organisations",
        "target_groups",
        "areas",
        Prefetch("topics", queryset=TaxonomyTerm.objects.select_related("parent")),
        # Only public bodies may appear on public pages (networks' visibility rule).
        Prefetch("bodies", queryset=Body.objects.filter(is_public=True), to_attr="public_bodies"),
        Prefetch(
            "shifts",
            # Public pages name only helpers who agreed (show_name); the others are counted.
            # Sign-ups whose address is not yet confirmed take no place and are not shown.
            queryset=Shift.objects.annotate(
                signup_count=Count("signups", filter=Q(signups__confirmed_at__isnull=False))
            ).prefetch_related(
                Prefetch(
                    "signups",
                    queryset=ShiftSignup.objects.filter(
                        show_name=True, confirmed_at__isnull=False
                    ).only("id", "shift_id", "first_name"),
                    to_attr="named_signups",
                )
            ),
        ),
    )


def managed_events(user) -> QuerySet[Event]:
    """Events the user may manage (see rules.manages_event)."""
    events = Event.objects.select_related("category")
    if user.is_superuser:
        return events
    orgs, areas = organisation_ids(user), managed_event_area_ids(user)
    organised = Event.organisations.through.objects.filter(organisation_id__in=orgs)
    located = EventArea.objects.filter(area_id__in=areas)
    return events.filter(pk__in=organised.values("event_id")) | events.filter(
        pk__in=located.values("event_id")
    )


def account_registrations(email: str) -> QuerySet[Registration]:
    """Coming, not cancelled registrations made with an address, soonest first."""
    return (
        Registration.objects.filter(email__iexact=email, event__ends_at__gte=timezone.now())
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )
