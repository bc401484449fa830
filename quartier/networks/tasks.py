"""Periodic work of the networks app: reminders for action items.

The mails the services send are tasks of mail.py (enqueued after commit).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from quartier.networks.mail import (  # noqa: F401 (queued rows name these paths)
    notify_join_request,
    send_contact_message,
    send_join_decision,
    send_meeting_mail,
    url,
)
from quartier.networks.models import ActionItem
from quartier.networks.services.minutes import action_items_due


@task()
def send_action_item_reminders() -> int:
    """Remind owners of action items that come due within a week or are overdue (once a day)."""
    today = timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for item in action_items_due(today):
            to = _reminder_addresses(item)
            if to:
                context = {
                    "item": item,
                    "today": today,
                    "body_url": url(item.body.get_absolute_url()),
                }
                sent += send_mail(
                    render_to_string("networks/emails/reminder_subject.txt", context).strip(),
                    render_to_string("networks/emails/reminder.txt", context),
                    None,
                    sorted(to),
                )
            ActionItem.objects.filter(pk=item.pk).update(reminded_on=today)
    return sent


def _reminder_addresses(item: ActionItem) -> set[str]:
    if item.owner_person and item.owner_person.email:
        return {item.owner_person.email}
    if item.owner_id:
        people = item.owner.delegates.filter(end_date__isnull=True).select_related("person")
        return {d.person.email for d in people if d.person.email}
    return set()
