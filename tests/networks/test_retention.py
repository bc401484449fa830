import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from quartier.networks import retention
from quartier.networks.models import CalendarToken, Delegate, JoinRequest
from tests.factories.directory import OrganisationFactory, PersonFactory
from tests.factories.networks import BodyFactory, DelegateFactory


@pytest.fixture
def expired_and_current(db):
    """One expired and one still-needed row of each kind the networks purge handles."""
    body = BodyFactory()
    now = timezone.now()
    person = PersonFactory()
    return {
        "old": JoinRequest.objects.create(
            body=body,
            organisation=OrganisationFactory(),
            reason="alt",
            status="declined",
            decided_at=now - datetime.timedelta(days=800),
        ),
        "pending": JoinRequest.objects.create(
            body=body, organisation=OrganisationFactory(), reason="neu"
        ),
        "gone": DelegateFactory(
            membership__body=body,
            end_date=datetime.date(2015, 1, 1),
            start_date=datetime.date(2014, 1, 1),
        ),
        "current": DelegateFactory(membership__body=body),
        "revoked": CalendarToken.objects.create(
            person=person, revoked_at=now - datetime.timedelta(days=60)
        ),
        "active": CalendarToken.objects.create(person=person),
    }


EXPECTED = {
    "decided join requests": 1,
    "ended delegations": 1,
    "revoked calendar tokens": 1,
    # tests/networks/test_join_info.py ages and purges these.
    "requests to add an organisation": 0,
}


def _rows() -> tuple[int, int, int, int]:
    return (
        JoinRequest.objects.count(),
        Delegate.objects.count(),
        Delegate.history.count(),
        CalendarToken.objects.count(),
    )


def test_purge_keeps_what_is_still_needed(expired_and_current):
    rows = expired_and_current
    call_command("purge_networks_data", verbosity=0)
    assert not JoinRequest.objects.filter(pk=rows["old"].pk).exists()
    assert JoinRequest.objects.filter(pk=rows["pending"].pk).exists()
    assert not Delegate.objects.filter(pk=rows["gone"].pk).exists()
    assert Delegate.objects.filter(pk=rows["current"].pk).exists()
    assert not CalendarToken.objects.filter(pk=rows["revoked"].pk).exists()
    assert CalendarToken.objects.filter(pk=rows["active"].pk).exists()


def test_dry_run_deletes_nothing_and_reports_the_counts(expired_and_current):
    before = _rows()
    assert retention.purge(dry_run=True) == EXPECTED
    assert _rows() == before


def test_purge_reports_the_same_counts_and_drops_the_delegations_history(expired_and_current):
    gone, current = expired_and_current["gone"], expired_and_current["current"]
    assert Delegate.history.filter(id=gone.pk).exists()
    assert retention.purge(dry_run=False) == EXPECTED
    assert not Delegate.history.filter(id=gone.pk).exists()
    assert Delegate.history.filter(id=current.pk).exists()
    assert retention.purge(dry_run=True) == dict.fromkeys(EXPECTED, 0)


def test_the_project_purge_counts_networks_data_on_a_dry_run(expired_and_current, capsys):
    before = _rows()
    call_command("purge_personal_data", dry_run=True)
    out = capsys.readouterr().out
    assert "Would delete 1 ended delegations." in out
    assert "Would delete 1 decided join requests." in out
    assert "networks: no dry run available" not in out
    assert _rows() == before
