"""Background work for alerts (django-tasks): the digests.

`send_digests` is enqueued by `quartier send_alert_digests --frequency daily|weekly`; run that
from cron or a systemd timer (daily at 6:00 and weekly on Monday, say). It also applies the
retention rules (retention.py), as `quartier purge_personal_data` does. The confirmation mail
is a task of mail.py, enqueued by the services.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from quartier.alerts import services
from quartier.alerts.mail import send_confirmation  # noqa: F401 (queued rows name this path)


@task()
def send_digests(frequency: str) -> int:
    now = timezone.now()
    services.subscriptions_purge(now=now)
    return services.digests_send(frequency=frequency, now=now)
