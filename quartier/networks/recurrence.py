"""Occurrences of an iCalendar RRULE in local wall time (DST-safe).

The rule is expanded on naive local times (Europe/Berlin, or settings.TIME_ZONE), then each
occurrence is made aware. A meeting at 16:00 therefore stays at 16:00 in winter and summer,
while its UTC time moves by an hour, as calendar clients expect from RRULE with TZID.
"""

from __future__ import annotations

import datetime
import zoneinfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
MAX_OCCURRENCES = 500


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def validate_rrule(text: str) -> str:
    """Return the normalised rule or raise ValidationError with a message for people."""
    rule = (text or "").strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        raise ValidationError(_("Enter a recurrence rule, for example FREQ=MONTHLY;INTERVAL=3."))
    if "DTSTART" in rule or "\n" in rule:
        raise ValidationError(_("Give only the rule itself (RRULE), without DTSTART."))
    parts = dict(part.partition("=")[::2] for part in rule.split(";") if part)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(_("The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    try:
        rrulestr(rule, dtstart=datetime.datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            _("The recurrence rule is not valid: %(error)s") % {"error": exc}
        ) from exc
    return rule


def make_aware_local(naive: datetime.datetime) -> datetime.datetime:
    """Attach the local zone; a wall time that does not exist (spring gap) moves forward."""
    zone = local_zone()
    aware = naive.replace(tzinfo=zone)
    # Round trip through UTC normalises times in the spring gap (02:30 -> 03:30).
    return aware.astimezone(datetime.UTC).astimezone(zone)


def occurrences(
    rule: str,
    first_start: datetime.datetime,
    *,
    after: datetime.datetime | None = None,
    before: datetime.datetime,
    limit: int = MAX_OCCURRENCES,
) -> list[datetime.datetime]:
    """Aware local starts of the rule between `after` (inclusive) and `before` (exclusive)."""
    zone = local_zone()
    local_first = first_start.astimezone(zone).replace(tzinfo=None)
    expanded = rrulestr(validate_rrule(rule), dtstart=local_first)
    lower = (after or first_start).astimezone(zone).replace(tzinfo=None)
    upper = before.astimezone(zone).replace(tzinfo=None)
    found: list[datetime.datetime] = []
    for naive in expanded.xafter(lower, inc=True):
        if naive >= upper or len(found) >= limit:
            break
        found.append(make_aware_local(naive))
    return found
