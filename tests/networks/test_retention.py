import datetime

from django.core.management import call_command
from django.utils import timezone

from quartier.networks.models import CalendarToken, Delegate, JoinRequest
from tests.factories.directory import OrganisationFactory, PersonFactory
from tests.factories.networks import BodyFactory, DelegateFactory


def test_purge_keeps_what_is_still_needed(db):
    body = BodyFactory()
    now = timezone.now()
    old = JoinRequest.objects.create(
        body=body,
        organisation=OrganisationFactory(),
        reason="alt",
        status="declined",
        decided_at=now - datetime.timedelta(days=800),
    )
    pending = JoinRequest.objects.create(
        body=body, organisation=OrganisationFactory(), reason="neu"
    )
    gone = DelegateFactory(
        membership__body=body,
        end_date=datetime.date(2015, 1, 1),
        start_date=datetime.date(2014, 1, 1),
    )
    current = DelegateFactory(membership__body=body)
    person = PersonFactory()
    revoked = CalendarToken.objects.create(
        person=person, revoked_at=now - datetime.timedelta(days=60)
    )
    active = CalendarToken.objects.create(person=person)
    call_command("purge_networks_data", verbosity=0)
    assert not JoinRequest.objects.filter(pk=old.pk).exists()
    assert JoinRequest.objects.filter(pk=pending.pk).exists()
    assert not Delegate.objects.filter(pk=gone.pk).exists()
    assert Delegate.objects.filter(pk=current.pk).exists()
    assert not CalendarToken.objects.filter(pk=revoked.pk).exists()
    assert CalendarToken.objects.filter(pk=active.pk).exists()
