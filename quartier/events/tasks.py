"""Background work: the feed import, the helpers' reminders and the retention rule.

The mails the services send are tasks of mail.py (enqueued after commit).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from quartier.events import importer, mail, retention, tokens
from quartier.events.mail import (  # noqa: F401 (queued rows name these paths)
    send_event_cancelled,
    send_registration_mail,
    send_signup_confirmation,
)
from quartier.events.models import IcalFeed, ShiftSignup

logger = logging.getLogger(__name__)


def retention_days() -> int:
    return retention.retention_days()


@task()
def send_shift_reminders() -> int:
    """Remind helpers whose shift is tomorrow (local date); each helper once."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    end = start + dt.timedelta(days=1)
    signups = ShiftSignup.objects.filter(
        reminded_at__isnull=True,
        confirmed_at__isnull=False,
        shift__starts_at__gte=start,
        shift__starts_at__lt=end,
        shift__event__status="scheduled",
    ).select_related("shift__event")
    sent = 0
    for signup in signups:
        cancel_url = tokens.signup_cancel_path(signup)
        context = {
            "signup": signup,
            "shift": signup.shift,
            "event": signup.shift.event,
            "event_url": mail.absolute(signup.shift.event.get_absolute_url()),
            "cancel_url": mail.absolute(cancel_url),
        }
        mail.send("shift_reminder", context, signup.email)
        ShiftSignup.objects.filter(pk=signup.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent


@task()
def import_ical_feeds() -> dict[str, int]:
    """Pull every active feed; a failing feed records its error and does not stop the others."""
    results = {}
    for feed in IcalFeed.objects.filter(is_active=True).select_related("organisation"):
        result = importer.feed_import(feed=feed)
        results[str(feed.pk)] = -1 if result.error else result.total
    return results


@task()
def purge_expired_personal_data() -> int:
    """Delete registrations and shift sign-ups of events that ended more than the retention
    period ago (docs/privacy-events.md)."""
    return sum(retention.purge(dry_run=False).values())


@task()
def import_ical_feed(feed_id: int) -> int:
    """Import one feed now (the back office's button, and a new feed's first import)."""
    feed = IcalFeed.objects.select_related("organisation").filter(pk=feed_id).first()
    if feed is None:
        return 0
    result = importer.feed_import(feed=feed)
    return -1 if result.error else result.total
