"""Background work for alerts (django-tasks): confirmation mails and the digests.

`send_digests` is enqueued by `quartier send_alert_digests --frequency daily|weekly`; run that
from cron or a systemd timer (daily at 6:00 and weekly on Monday, say). It also applies the
retention rules (retention.py), as `quartier purge_personal_data` does.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from quartier.alerts import mail, services
from quartier.alerts.models import Subscription


@task()
def send_confirmation(subscription_id: int) -> None:
    """The confirmation link; for an alert confirmed meanwhile, the note that it is active."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return
    if subscription.confirmed_at is None:
        mail.send_confirmation(subscription)
    else:
        mail.send_already_active(subscription)


@task()
def send_digests(frequency: str) -> int:
    now = timezone.now()
    services.subscriptions_purge(now=now)
    return services.digests_send(frequency=frequency, now=now)
