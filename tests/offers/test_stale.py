import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartier.offers.models import Offer
from quartier.offers.selectors import is_stale, offers_stale_for
from quartier.offers.tasks import remind_stale_offers

pytestmark = pytest.mark.django_db


def _age(offer, days):
    Offer.objects.filter(pk=offer.pk).update(
        last_verified=timezone.localdate() - datetime.timedelta(days=days)
    )
    offer.refresh_from_db()


def test_offers_older_than_a_year_are_stale(world):
    _age(world.offer, 366)
    assert is_stale(world.offer)
    assert list(offers_stale_for(world.users["editor"])) == [world.offer]
    _age(world.offer, 300)
    assert not is_stale(world.offer)


def test_stale_offer_is_flagged_in_the_back_office(world):
    _age(world.offer, 400)
    client = world.client("editor")
    html = client.get(reverse("backoffice:offers:list") + "?show=stale").content.decode()
    assert "Familiencafé Nord" in html
    assert "Prüfung nötig" in html
    assert "Angebote zum Prüfen" in client.get(reverse("backoffice:dashboard")).content.decode()


def test_reminder_mails_the_editors_and_is_not_repeated_too_soon(world, settings):
    settings.QUARTIER_OFFER_REMINDER_INTERVAL_DAYS = 30
    _age(world.offer, 400)
    assert remind_stale_offers.call() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.users["editor"].email]
    assert "Familiencafé Nord" in message.body
    assert reverse("backoffice:offers:edit", kwargs={"pk": world.offer.pk}) in message.body
    # Running again (cron runs daily) sends nothing within the interval.
    call_command("remind_stale_offers", "--now", verbosity=0)
    assert len(mail.outbox) == 1
    # After the interval the editors hear again.
    Offer.objects.filter(pk=world.offer.pk).update(
        stale_reminder_sent_at=timezone.now() - datetime.timedelta(days=31)
    )
    remind_stale_offers.call()
    assert len(mail.outbox) == 2


def test_command_queues_the_task(world):
    _age(world.offer, 400)
    call_command("remind_stale_offers", verbosity=0)  # ImmediateBackend in tests
    assert len(mail.outbox) == 1


def test_confirming_stops_the_reminders(world):
    _age(world.offer, 400)
    response = world.client("editor").post(
        reverse("backoffice:offers:verify", kwargs={"pk": world.offer.pk})
    )
    assert response.status_code == 302
    world.offer.refresh_from_db()
    assert world.offer.last_verified == timezone.localdate()
    assert remind_stale_offers.call() == 0
    assert not mail.outbox


def test_drafts_and_ended_offers_are_not_reminded(world):
    _age(world.draft_offer, 400)
    Offer.objects.filter(pk=world.offer.pk).update(status="ended")
    _age(world.offer, 400)
    assert remind_stale_offers.call() == 0
