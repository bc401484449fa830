"""Periodic work of concerns: the daily digest of new concerns for staff who chose it."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from quartier.concerns import mail
from quartier.concerns.models import Concern, CoordinatorSetting, NotifyChoice
from quartier.concerns.rules import handled_filter

logger = logging.getLogger(__name__)


def digests_send(*, now: dt.datetime) -> int:
    """Each member of staff with the daily digest gets the concerns new since their last one
    that they handle; returns the number of mails sent."""
    sent = 0
    settings_due = CoordinatorSetting.objects.filter(notify=NotifyChoice.DAILY).select_related(
        "user"
    )
    for setting in settings_due:
        user = setting.user
        if not user.is_active or not user.email:
            continue
        since = setting.last_digest_at or (now - dt.timedelta(days=1))
        concerns = Concern.objects.filter(created_at__gt=since, created_at__lte=now)
        if not user.is_superuser:
            concerns = concerns.filter(handled_filter(user))
        concerns = list(concerns.select_related("category", "area").order_by("created_at"))
        try:
            with transaction.atomic():
                if concerns:
                    mail.send_digest(user, concerns)
                    sent += 1
                setting.last_digest_at = now
                setting.save(update_fields=["last_digest_at"])
        except Exception:
            logger.exception("Concern digest for user %s failed", user.pk)
    return sent
