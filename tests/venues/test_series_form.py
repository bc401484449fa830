"""The series booking form asks in plain terms and shows the rule in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartier.venues.models import Booking

pytestmark = pytest.mark.django_db

SLOT = {"title": "AK Wohnumfeld", "date": "2030-03-12", "start_time": "18:00", "end_time": "20:00"}


def test_the_form_offers_plain_choices_and_no_rule_text(world):
    url = reverse("backoffice:venues:booking_new", kwargs={"pk": world.room.pk})
    html = world.client("editor").get(url).content.decode()
    assert 'name="repeat_days"' in html and "jede zweite Woche" in html
    assert "RRULE" not in html and "FREQ=" not in html


def test_weekdays_chosen_in_plain_terms_become_the_rule_and_read_back_in_words(world):
    client = world.client("editor")
    response = client.post(
        reverse("backoffice:venues:booking_new", kwargs={"pk": world.room.pk}),
        {**SLOT, "repeat": "weekly", "repeat_days": ["TU", "TH"], "until": "2030-04-30"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get(title="AK Wohnumfeld")
    assert booking.recurrence == "FREQ=WEEKLY;BYDAY=TU,TH"
    held = booking.occupancies.values("occurrence_start").distinct().count()
    assert held == 15  # 12 March to 30 April, Tuesdays and Thursdays
    detail = client.get(reverse("backoffice:venues:booking", kwargs={"pk": booking.pk}))
    assert "jede Woche am Dienstag und Donnerstag, bis 30. April 2030" in detail.content.decode()


def test_a_bad_choice_is_explained_and_nothing_is_booked(world):
    response = world.client("editor").post(
        reverse("backoffice:venues:booking_new", kwargs={"pk": world.room.pk}),
        {**SLOT, "repeat": "weekly", "repeat_interval": "0", "until": "2030-04-30"},
    )
    assert response.status_code == 400
    assert "ganze Zahl von 1 bis 52" in response.content.decode()
    assert not Booking.objects.filter(title="AK Wohnumfeld").exists()
