"""Recurrence rules (iCalendar RRULE) in local wall time: checking, expansion, description.

One place for what networks (meeting series), venues (booking series) and events (imported
feeds) need:

- `local_zone()`: the deployment's zone (settings.TIME_ZONE, Europe/Berlin by default).
- `check(text)`: the normalised rule, or a ValidationError people can act on.
- `wall_times(rule, first_start, ...)`: the occurrences as naive local wall times. A rule is
  expanded on the wall clock, so "every Tuesday 18:00" stays at 18:00 across daylight-saving
  changes while its UTC time moves by an hour, as calendar clients do with RRULE and TZID.
  UNTIL written in UTC (RFC 5545 for a DTSTART with TZID) is read in the same wall time.
- `aware(naive)`: a wall time made aware, daylight-saving-safe: a time the spring change skips
  (02:30) moves one hour later, a time the autumn change repeats takes the first (summer) one.
- `describe(rule, start)`: the rule in words ("every week on Wednesday, until 3 June 2027"),
  in the active language; `build(...)`: a rule from plain choices (recurrence_field.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_UNTIL = re.compile(r"(?:^|;)UNTIL=([0-9TZ]+)", re.IGNORECASE)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def check(text: str) -> str:
    """Return the normalised rule (upper case, without "RRULE:") or raise ValidationError
    with a message for people."""
    rule = (text or "").strip().upper()
    rule = rule.removeprefix("RRULE:")
    if not rule:
        raise ValidationError(_("Enter a recurrence rule, for example FREQ=MONTHLY;INTERVAL=3."))
    if "DTSTART" in rule or "\n" in rule:
        raise ValidationError(_("Give only the rule itself (RRULE), without DTSTART."))
    parts = dict(part.partition("=")[::2] for part in rule.split(";") if part)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(_("The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    try:
        _parse(rule, dt.datetime(2000, 1, 1), local_zone())
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            _("The recurrence rule is not valid: %(error)s") % {"error": exc}
        ) from exc
    return rule


def to_wall(moment: dt.datetime, zone: ZoneInfo | None = None) -> dt.datetime:
    """The naive wall time of an aware moment in `zone` (the local zone by default)."""
    return moment.astimezone(zone or local_zone()).replace(tzinfo=None)


def aware(naive: dt.datetime, zone: ZoneInfo | None = None) -> dt.datetime:
    """Attach the zone; a wall time that does not exist (spring gap) moves forward, one that
    exists twice (autumn) is the first."""
    zone = zone or local_zone()
    # fold=0 reads a skipped time with the offset before the change; the round trip through
    # UTC turns 02:30 into 03:30 summer time.
    return naive.replace(tzinfo=zone, fold=0).astimezone(dt.UTC).astimezone(zone)


def _wall_until(rule: str, zone: ZoneInfo) -> str:
    """UNTIL in UTC ("...Z") as wall time in `zone`: dateutil compares it with the naive
    wall-time start, and a naive and an aware datetime cannot be compared."""

    def convert(match: re.Match) -> str:
        value = match.group(1).upper()
        prefix = match.group(0)[: match.start(1) - match.start(0)]
        if not value.endswith("Z"):
            return match.group(0)
        moment = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        return f"{prefix}{to_wall(moment, zone):%Y%m%dT%H%M%S}"

    return _UNTIL.sub(convert, rule)


def _parse(rule: str, first: dt.datetime, zone: ZoneInfo) -> rruleset:
    text = _wall_until(rule.strip().removeprefix("RRULE:"), zone)
    parsed = rrulestr(f"RRULE:{text}", dtstart=first, forceset=True)
    if not isinstance(parsed, rruleset):  # pragma: no cover - forceset always gives a set
        raise ValueError("not a single RRULE")
    return parsed


def is_bounded(rule: str) -> bool:
    """Whether the rule ends by itself (UNTIL or COUNT)."""
    upper = rule.upper()
    return "UNTIL=" in upper or "COUNT=" in upper


def wall_times(
    rule: str,
    first_start: dt.datetime,
    *,
    zone: ZoneInfo | None = None,
    after: dt.datetime | None = None,
    rdates: Iterable[dt.datetime] = (),
    exdates: Iterable[dt.datetime] = (),
) -> Iterator[dt.datetime]:
    """The rule's occurrences from `after` (inclusive; default the first start) on, as naive
    wall times in `zone`, ascending; the caller stops where it needs to (a series without end
    never stops). `rdates` and `exdates` are aware moments added or removed. ValueError for a
    rule dateutil cannot read."""
    zone = zone or local_zone()
    first = to_wall(first_start, zone)
    expanded = _parse(rule, first, zone)
    for extra in rdates:
        expanded.rdate(to_wall(extra, zone))
    for excluded in exdates:
        expanded.exdate(to_wall(excluded, zone))
    lower = to_wall(after, zone) if after is not None else first
    yield from expanded.xafter(lower, inc=True)


def occurrences(
    rule: str,
    first_start: dt.datetime,
    *,
    after: dt.datetime | None = None,
    before: dt.datetime,
    limit: int = 500,
    zone: ZoneInfo | None = None,
) -> list[dt.datetime]:
    """Aware local starts of the rule between `after` (inclusive) and `before` (exclusive),
    at most `limit`."""
    zone = zone or local_zone()
    upper = to_wall(before, zone)
    found: list[dt.datetime] = []
    for naive in wall_times(rule, first_start, zone=zone, after=after):
        if naive >= upper or len(found) >= limit:
            break
        found.append(aware(naive, zone))
    return found


# --- Plain terms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plain:
    """A rule as people choose it (recurrence_field.RecurrenceField).

    kind: "" (does not repeat), "daily", "weekly" (every `interval` weeks on `weekdays`),
    "monthly" (on the same day of the month), "monthly_nth" (on the `nth` weekday, -1 = last);
    ends with `until` (a local date, inclusive) or after `count` dates, or never.
    """

    kind: str = ""
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    nth: int = 0  # 0: the start's (its day of the month // 7 + 1)
    until: dt.date | None = None
    count: int | None = None


def build(plain: Plain, start: dt.datetime | None = None) -> str:
    """The RRULE for plain choices ("" for "does not repeat"). Weekdays default to the
    start's weekday; "monthly_nth" takes the start's weekday."""
    if not plain.kind:
        return ""
    local = start.astimezone(local_zone()) if start is not None else None
    own_day = WEEKDAYS[local.weekday()] if local is not None else "MO"
    parts: list[str]
    if plain.kind == "daily":
        parts = ["FREQ=DAILY"]
    elif plain.kind == "weekly":
        parts = ["FREQ=WEEKLY"]
        days = [day for day in WEEKDAYS if day in plain.weekdays] or [own_day]
        parts.append("BYDAY=" + ",".join(days))
    elif plain.kind == "monthly":
        parts = ["FREQ=MONTHLY"]
    elif plain.kind == "monthly_nth":
        nth = plain.nth or ((local.day - 1) // 7 + 1 if local is not None else 1)
        parts = ["FREQ=MONTHLY", f"BYDAY={nth}{own_day}"]
    else:
        raise ValueError(f"unknown kind {plain.kind!r}")
    if plain.interval > 1:
        parts.insert(1, f"INTERVAL={plain.interval}")
    if plain.until is not None:
        # The whole local day counts: UNTIL at its last second, as wall time.
        parts.append(f"UNTIL={plain.until:%Y%m%d}T235959")
    elif plain.count:
        parts.append(f"COUNT={plain.count}")
    return ";".join(parts)


def _parts(rule: str) -> dict[str, str]:
    text = rule.strip().upper().removeprefix("RRULE:")
    return dict(part.partition("=")[::2] for part in text.split(";") if part)


def _day_names() -> dict[str, str]:
    return {
        "MO": _("Monday"),
        "TU": _("Tuesday"),
        "WE": _("Wednesday"),
        "TH": _("Thursday"),
        "FR": _("Friday"),
        "SA": _("Saturday"),
        "SU": _("Sunday"),
    }


def _ordinal(n: int) -> str:
    names = {
        1: pgettext("weekday of the month", "first"),
        2: pgettext("weekday of the month", "second"),
        3: pgettext("weekday of the month", "third"),
        4: pgettext("weekday of the month", "fourth"),
        5: pgettext("weekday of the month", "fifth"),
        -1: pgettext("weekday of the month", "last"),
    }
    return names.get(n, str(n))


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _until_date(value: str) -> dt.date | None:
    try:
        if value.endswith("Z"):
            moment = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            return moment.astimezone(local_zone()).date()
        return dt.datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        return None


def describe(rule: str, until: dt.date | None = None) -> str:
    """The rule in words, in the active language: "every week on Wednesday, until 3 June
    2027", "every 3 months", "monthly on the second Tuesday, 10 times". `until` (a separate
    end date, as venues keep it) is added when the rule has none. A rule the words do not
    cover is shown as it is."""
    if not rule:
        return _("does not repeat")
    parts = _parts(rule)
    freq = parts.get("FREQ", "")
    try:
        interval = int(parts.get("INTERVAL", "1") or 1)
    except ValueError:
        return rule
    days = [day for day in parts.get("BYDAY", "").split(",") if day]
    names = _day_names()
    plain_days = [names[day] for day in days if day in names]
    nth_days = [
        (int(m.group(1)), names[m.group(2)])
        for day in days
        if (m := re.fullmatch(r"([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)", day))
    ]
    known = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"}
    if set(parts) - known or len(plain_days) + len(nth_days) != len(days):
        return rule
    if freq == "DAILY" and not days:
        text = (
            _("every day")
            if interval == 1
            else ngettext("every %(n)d day", "every %(n)d days", interval) % {"n": interval}
        )
    elif freq == "WEEKLY" and not nth_days:
        text = (
            _("every week")
            if interval == 1
            else ngettext("every %(n)d week", "every %(n)d weeks", interval) % {"n": interval}
        )
        if plain_days:
            text = _("%(every)s on %(days)s") % {"every": text, "days": _join(plain_days)}
    elif freq == "MONTHLY" and not plain_days:
        text = (
            _("every month")
            if interval == 1
            else ngettext("every %(n)d month", "every %(n)d months", interval) % {"n": interval}
        )
        if nth_days:
            on = [_("the %(nth)s %(day)s") % {"nth": _ordinal(n), "day": d} for n, d in nth_days]
            text = _("%(every)s on %(days)s") % {"every": text, "days": _join(on)}
    elif freq == "YEARLY" and not days:
        text = (
            _("every year")
            if interval == 1
            else ngettext("every %(n)d year", "every %(n)d years", interval) % {"n": interval}
        )
    else:
        return rule
    end = _until_date(parts["UNTIL"]) if "UNTIL" in parts else until
    if end is not None:
        text = _("%(rule)s, until %(date)s") % {
            "rule": text,
            "date": formats.date_format(end, "DATE_FORMAT"),
        }
    elif parts.get("COUNT", "").isdigit():
        count = int(parts["COUNT"])
        text = ngettext("%(rule)s, %(n)d time", "%(rule)s, %(n)d times", count) % {
            "rule": text,
            "n": count,
        }
    return text


def plain_from_rule(rule: str) -> Plain | None:
    """The plain choices of a rule the form can show, or None (then the form keeps the rule)."""
    if not rule:
        return Plain()
    parts = _parts(rule)
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT"}:
        return None
    try:
        interval = int(parts.get("INTERVAL", "1") or 1)
        count = int(parts["COUNT"]) if "COUNT" in parts else None
    except ValueError:
        return None
    until = _until_date(parts["UNTIL"]) if "UNTIL" in parts else None
    days = [day for day in parts.get("BYDAY", "").split(",") if day]
    freq = parts.get("FREQ")
    if freq == "DAILY" and not days:
        return Plain(kind="daily", interval=interval, until=until, count=count)
    if freq == "WEEKLY" and all(day in WEEKDAYS for day in days):
        return Plain(
            kind="weekly", weekdays=tuple(days), interval=interval, until=until, count=count
        )
    if freq == "MONTHLY" and not days:
        return Plain(kind="monthly", interval=interval, until=until, count=count)
    match = re.fullmatch(r"([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)", days[0]) if len(days) == 1 else None
    if freq == "MONTHLY" and match:
        nth = int(match.group(1))
        return Plain(kind="monthly_nth", nth=nth, interval=interval, until=until, count=count)
    return None
