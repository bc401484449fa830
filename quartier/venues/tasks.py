"""Periodic work of the venues app: the rolling horizon and the retention rule.

Run `quartier venues_maintenance` daily (cron or systemd timer). Booking mails are tasks of
mail.py, enqueued by the services after commit.
"""

from __future__ import annotations

from django_tasks import task

from quartier.venues import services
from quartier.venues.mail import send_booking_mail  # noqa: F401 (queued rows name this path)
from quartier.venues.models import Booking


@task()
def extend_series() -> int:
    """Hold open-ended series up to the rolling horizon. Returns the number of series."""
    count = 0
    for booking in (
        Booking.objects.active().exclude(recurrence="").filter(recurrence_until__isnull=True)
    ):
        services.booking_extend_series(booking=booking)
        count += 1
    return count


@task()
def erase_personal_data() -> int:
    return services.booking_erase_personal_data()
