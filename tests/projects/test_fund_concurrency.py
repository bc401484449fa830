"""Two decisions on the same fund at the same moment cannot together grant more than it has
left: the fund's row is locked while the granted total is checked (select_for_update on
PostgreSQL; on SQLite every transaction is IMMEDIATE). Threads with their own connections, as
in tests/venues/test_concurrency.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from quartier.networks.models import AgendaItem
from quartier.projects import services
from quartier.projects.models import FundApplication, FundStatus
from tests.concurrency import race
from tests.factories import projects as f
from tests.factories.areas import AreaFactory
from tests.factories.networks import BodyFactory, MeetingFactory
from tests.venues.test_concurrency import shared_database

pytestmark = pytest.mark.django_db(transaction=True)


def _decide(pk: int):
    application = FundApplication.objects.get(pk=pk)
    return services.fund_application_decide(
        application=application, outcome=FundStatus.GRANTED, votes_for=5, votes_against=0,
        abstentions=0, amount_granted=Decimal(600),
    ).pk  # fmt: skip


def test_two_grants_at_once_never_exceed_the_fund(tmp_path):
    area = AreaFactory(name="Raceviertel", slug="raceviertel")
    body = BodyFactory(name="Stadtteilrat Race", slug="stadtteilrat-race", areas=[area])
    now = timezone.now()
    meeting = MeetingFactory(
        body=body, start=now - dt.timedelta(days=1), end=now - dt.timedelta(hours=22)
    )
    fund = f.fund(area, budget=1000)
    pks = []
    for title in ("Fest A", "Fest B"):
        item = AgendaItem.objects.create(
            meeting=meeting, title=title, status=AgendaItem.Status.ACCEPTED
        )
        application = f.application(
            fund, title=title, amount=600, agenda_item=item, status=FundStatus.AGENDA
        )
        pks.append(application.pk)
    with shared_database(tmp_path):
        outcomes = race(lambda: _decide(pks[0]), lambda: _decide(pks[1]))
        granted = race(lambda: services.fund_granted(fund))[0]
    assert sorted(type(o).__name__ for o in outcomes) == ["ValidationError", "int"]
    assert any(isinstance(o, ValidationError) for o in outcomes)
    assert granted == Decimal(600)
