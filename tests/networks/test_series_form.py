"""The meeting-series form asks in plain terms and says the rule in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartier.networks.models import MeetingSeries

pytestmark = pytest.mark.django_db

SERIES = {"title": "Reihe", "first_start": "2030-01-10T15:00", "duration_minutes": 120}


def test_the_form_offers_plain_choices_and_no_rule_text(world):
    url = reverse("backoffice:networks:series_create", kwargs={"slug": world.body.slug})
    html = world.client("coordinator").get(url).content.decode()
    assert '<option value="monthly" selected>' in html  # quarterly by default
    assert 'name="rrule_interval"' in html and 'value="3"' in html
    assert "RRULE" not in html and "FREQ=" not in html


def test_the_second_thursday_until_a_date_becomes_the_rule(world):
    url = reverse("backoffice:networks:series_create", kwargs={"slug": world.body.slug})
    response = world.client("coordinator").post(
        url,
        {
            **SERIES,
            "rrule": "monthly_nth",
            "rrule_interval": "1",
            "rrule_ends": "until",
            "rrule_until": "2030-06-30",
        },
        follow=True,
    )
    series = MeetingSeries.objects.get(title="Reihe")
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2TH;UNTIL=20300630T235959"
    days = [m.start.day for m in series.meetings.order_by("start")]
    assert days == [10, 14, 14, 11, 9, 13]  # the second Thursday, January to June 2030
    assert "jeden Monat am zweiten Donnerstag, bis 30. Juni 2030" in response.content.decode()


def test_a_missing_end_date_is_explained_and_nothing_is_planned(world):
    url = reverse("backoffice:networks:series_create", kwargs={"slug": world.body.slug})
    response = world.client("coordinator").post(
        url, {**SERIES, "rrule": "weekly", "rrule_ends": "until", "rrule_until": ""}
    )
    assert response.status_code == 400
    assert "Geben Sie das letzte Datum ein" in response.content.decode()
    assert not MeetingSeries.objects.exists()
