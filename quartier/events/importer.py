"""Pulling a member organisation's iCal feed into the public calendar.

Idempotent by (feed, UID, occurrence): a changed event is updated (SEQUENCE raised), an event
that has vanished from the feed is cancelled (if it lies ahead), nothing is duplicated.
Recurring series are expanded in their own time zone's wall-clock time (so 19:00 stays 19:00
across a daylight-saving change) within `QUARTIER_EVENTS_IMPORT_HORIZON_DAYS`; a series
without end stops at the horizon. A feed that cannot be read or parsed records its error on
the feed and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.core import recurrence
from quartier.core.text import german_slug
from quartier.events import fetch
from quartier.events.models import Event, EventStatus, IcalFeed

logger = logging.getLogger(__name__)

MAX_OCCURRENCES_PER_SERIES = 500
MAX_EVENTS_PER_FEED = 5000
PAST_DAYS = 1  # occurrences that ended longer ago are neither imported nor cancelled
# What every import writes (_fields): the source calendar owns these fields of an imported
# event, so the back office shows them read-only (forms.EventForm, services.event_update).
IMPORTED_FIELDS = frozenset(
    {"title", "description", "place_name", "starts_at", "ends_at", "all_day", "lat", "lon"}
    | {"status"}  # not in the back-office form: cancelling goes through services.event_cancel
)


class FeedError(Exception):
    """A feed that cannot be fetched or read; the message is shown to the feed's managers."""


@dataclass
class Occurrence:
    uid: str
    recurrence_id: str
    title: str
    description: str
    location: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    all_day: bool
    cancelled: bool
    lat: float | None = None
    lon: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.uid, self.recurrence_id)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    error: str = ""

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def max_bytes() -> int:
    return int(getattr(settings, "QUARTIER_EVENTS_FEED_MAX_BYTES", 2 * 1024 * 1024))


def horizon_days() -> int:
    return int(getattr(settings, "QUARTIER_EVENTS_IMPORT_HORIZON_DAYS", 365))


def fetch_feed(url: str) -> bytes:
    """Download a feed under the address, redirect, time and size rules of events.fetch (checked
    again at every import: a host's DNS answer can change after the feed was saved). Tests
    monkeypatch this function."""
    try:
        return fetch.fetch(url, max_bytes=max_bytes())
    except fetch.FetchError as exc:
        raise FeedError(str(exc)) from exc


def _local_tz() -> ZoneInfo:
    return recurrence.local_zone()


def _to_aware(value: dt.date | dt.datetime) -> tuple[dt.datetime, bool]:
    """(aware datetime, all_day). Floating times are read as local (Europe/Berlin) time."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_local_tz())
        return value, False
    return dt.datetime.combine(value, dt.time.min, tzinfo=_local_tz()), True


def _recurrence_key(value: dt.date | dt.datetime) -> str:
    start, all_day = _to_aware(value)
    if all_day:
        return start.strftime("%Y%m%d")
    return start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _dates(component, name: str) -> list[dt.date | dt.datetime]:
    values = component.get(name)
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    return [item.dt for entry in values for item in entry.dts]


def _base(component) -> tuple[dt.datetime, dt.timedelta, bool]:
    uid = str(component.get("uid", ""))
    if "dtstart" not in component:
        raise FeedError(_("Event %(uid)s has no start.") % {"uid": uid})
    start, all_day = _to_aware(component.decoded("dtstart"))
    if "dtend" in component:
        end, _all_day = _to_aware(component.decoded("dtend"))
        duration = end - start
    elif "duration" in component:
        duration = component.decoded("duration")
    else:
        duration = dt.timedelta(days=1) if all_day else dt.timedelta(0)
    if duration < dt.timedelta(0):
        raise FeedError(_("Event %(uid)s ends before it starts.") % {"uid": uid})
    return start, duration, all_day


def _occurrence(component, start, duration, all_day, recurrence_id) -> Occurrence:
    end = start + duration
    if all_day:
        # all-day events end at the start of the last day (our model's inclusive end)
        end = max(start, end - dt.timedelta(days=1))
    geo = component.get("geo")
    return Occurrence(
        uid=str(component.get("uid"))[:255],
        recurrence_id=recurrence_id,
        title=(str(component.get("summary", "")) or _("Untitled event"))[:200],
        description=str(component.get("description", ""))[:10000],
        location=str(component.get("location", ""))[:200],
        starts_at=start,
        ends_at=end,
        all_day=all_day,
        cancelled=str(component.get("status", "")).upper() == "CANCELLED",
        lat=geo.latitude if geo else None,
        lon=geo.longitude if geo else None,
    )


def _expand(component, window_start, window_end) -> list[Occurrence]:
    """The occurrences of a series within the window, in the series' own wall-clock time
    (quartier.core.recurrence: UNTIL in UTC, RDATE and EXDATE read in that wall time)."""
    start, duration, all_day = _base(component)
    zone = start.tzinfo
    rule_text = component.get("rrule").to_ical().decode()
    high = recurrence.to_wall(window_end, zone)
    times = recurrence.wall_times(
        rule_text,
        start,
        zone=zone,
        after=window_start - duration,
        rdates=[_to_aware(extra)[0] for extra in _dates(component, "rdate")],
        exdates=[_to_aware(excluded)[0] for excluded in _dates(component, "exdate")],
    )
    occurrences = []
    for naive in times:
        if naive > high or len(occurrences) >= MAX_OCCURRENCES_PER_SERIES:
            break
        local = recurrence.aware(naive, zone)
        key_value = local.date() if all_day else local
        occurrences.append(
            _occurrence(component, local, duration, all_day, _recurrence_key(key_value))
        )
    return occurrences


def parse_feed(data: bytes, *, now: dt.datetime | None = None) -> list[Occurrence]:
    """All occurrences of the feed within [now - PAST_DAYS, now + horizon]. Raises FeedError."""
    now = now or timezone.now()
    window_start = now - dt.timedelta(days=PAST_DAYS)
    window_end = now + dt.timedelta(days=horizon_days())
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise FeedError(
            _("The feed is not a valid iCalendar file: %(error)s") % {"error": exc}
        ) from exc
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise FeedError(_("The feed is not a valid iCalendar file."))
    masters, overrides = [], {}
    for component in calendar.walk("VEVENT"):
        if not component.get("uid"):
            raise FeedError(_("An event in the feed has no UID."))
        try:
            if component.get("recurrence-id"):
                key = _recurrence_key(component.decoded("recurrence-id"))
                overrides[(str(component.get("uid")), key)] = component
            else:
                masters.append(component)
        except (ValueError, TypeError) as exc:
            raise FeedError(
                _("The feed has an unreadable date: %(error)s") % {"error": exc}
            ) from exc
    found: dict[tuple[str, str], Occurrence] = {}
    try:
        for component in masters:
            if component.get("rrule"):
                series = _expand(component, window_start, window_end)
            else:
                start, duration, all_day = _base(component)
                series = [_occurrence(component, start, duration, all_day, "")]
            for occurrence in series:
                found[occurrence.key] = occurrence
        for key, component in overrides.items():
            start, duration, all_day = _base(component)
            found[key] = _occurrence(component, start, duration, all_day, key[1])
    except (ValueError, TypeError, OverflowError) as exc:
        raise FeedError(
            _("The feed has an unreadable rule or date: %(error)s") % {"error": exc}
        ) from exc
    occurrences = [
        o for o in found.values() if window_start <= o.ends_at and o.starts_at <= window_end
    ]
    if len(occurrences) > MAX_EVENTS_PER_FEED:
        raise FeedError(
            _("The feed has more than %(limit)s events.") % {"limit": MAX_EVENTS_PER_FEED}
        )
    return occurrences


def _fields(occurrence: Occurrence) -> dict:
    return {
        "title": occurrence.title,
        "description": occurrence.description,
        "place_name": occurrence.location,
        "starts_at": occurrence.starts_at,
        "ends_at": occurrence.ends_at,
        "all_day": occurrence.all_day,
        "lat": occurrence.lat,
        "lon": occurrence.lon,
        "status": EventStatus.CANCELLED if occurrence.cancelled else EventStatus.SCHEDULED,
    }


def _slug(feed: IcalFeed, occurrence: Occurrence) -> str:
    digest = hashlib.sha1(  # noqa: S324 - a short stable suffix, not security
        f"{feed.pk}|{occurrence.uid}|{occurrence.recurrence_id}".encode()
    ).hexdigest()[:10]
    local = timezone.localtime(occurrence.starts_at)
    return f"{german_slug(occurrence.title)[:150] or 'termin'}-{local:%Y-%m-%d}-{digest}"


@transaction.atomic
def _apply(feed: IcalFeed, occurrences: list[Occurrence], now: dt.datetime) -> ImportResult:
    result = ImportResult()
    existing = {(e.source_uid, e.source_recurrence_id): e for e in feed.events.all()}
    area_ids = list(feed.areas.values_list("pk", flat=True))
    for occurrence in occurrences:
        fields = _fields(occurrence)
        event = existing.get(occurrence.key)
        if event is None:
            event = Event.objects.create(
                **fields,
                slug=_slug(feed, occurrence),
                category_id=feed.category_id,
                source_feed=feed,
                source_uid=occurrence.uid,
                source_recurrence_id=occurrence.recurrence_id,
                cancelled_at=now if occurrence.cancelled else None,
                first_published_at=now,  # imported events are published (Event.is_published)
            )
            event.organisations.add(feed.organisation_id)
            if area_ids:
                event.areas.add(*area_ids)
            result.created += 1
            continue
        changed = [name for name, value in fields.items() if getattr(event, name) != value]
        if not changed:
            result.unchanged += 1
            continue
        for name in changed:
            setattr(event, name, fields[name])
        event.sequence += 1
        event.cancelled_at = now if event.is_cancelled else None
        event.save(update_fields=[*changed, "sequence", "cancelled_at", "updated_at"])
        result.updated += 1
    seen = {occurrence.key for occurrence in occurrences}
    for key, event in existing.items():
        vanished = key not in seen and not event.is_cancelled
        if vanished and event.ends_at >= now - dt.timedelta(days=PAST_DAYS):
            event.status, event.cancelled_at = EventStatus.CANCELLED, now
            event.sequence += 1
            event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
            result.cancelled += 1
    return result


def feed_import(*, feed: IcalFeed, now: dt.datetime | None = None) -> ImportResult:
    """Fetch, parse and apply one feed; the outcome (or error) is recorded on the feed."""
    now = now or timezone.now()
    try:
        occurrences = parse_feed(fetch_feed(feed.url), now=now)
        result = _apply(feed, occurrences, now)
    except FeedError as exc:
        result = ImportResult(error=str(exc))
    except DatabaseError as exc:
        result = ImportResult(error=_("The feed could not be saved: %(error)s") % {"error": exc})
    except Exception as exc:  # a parser bug must not stop the other feeds' import
        logger.warning("Import of feed %s failed", feed.pk, exc_info=True)
        result = ImportResult(error=_("The feed could not be read: %(error)s") % {"error": exc})
    feed.last_run_at = now
    feed.last_error = result.error
    update = ["last_run_at", "last_error", "updated_at"]
    if not result.error:
        feed.last_success_at, feed.last_count = now, result.total
        update += ["last_success_at", "last_count"]
    feed.save(update_fields=update)
    return result
