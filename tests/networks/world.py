"""The networks part of the test world: a public body coordinated by world.organisation.

world.body (in world.district, so the planner's city covers it), world.membership
(world.organisation, coordination, delegate world.person), world.other_membership
(world.other_organisation, with a room), world.meeting (in 30 days, invitations sent),
world.past_meeting (with draft minutes and an action item), world.turn (a host proposal to
the other member), world.join_request, world.invitation, world.calendar_token.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from quartier.networks.models import (
    ActionItem,
    AgendaItem,
    CalendarToken,
    HostTurn,
    Invitation,
    JoinRequest,
    MembershipRole,
    Minutes,
)
from tests import sentinels
from tests.factories.directory import OrganisationFactory, PersonFactory
from tests.factories.networks import (
    BodyFactory,
    DelegateFactory,
    MeetingFactory,
    MembershipFactory,
)

ORDER = 100


def extend(world) -> None:
    body = BodyFactory(
        name="Stadtteilnetzwerk Nord",
        slug="stadtteilnetzwerk-nord",
        coordinating_organisation=world.organisation,
        areas=[world.district],
    )
    # Only world.person and world.public_person are public contacts; the others must not be
    # named on the body's page nor in OParl (tests/sentinels.py).
    body.contact_persons.add(
        world.person, world.internal_person, world.former_person, world.public_person
    )
    membership = MembershipFactory(
        body=body,
        organisation=world.organisation,
        role=MembershipRole.COORDINATION,
        room_capacity=None,
    )
    delegate = DelegateFactory(membership=membership, person=world.person)
    other_membership = MembershipFactory(body=body, organisation=world.other_organisation)
    other_person = PersonFactory(given_name="Olga", family_name="Anders")
    other_delegate = DelegateFactory(membership=other_membership, person=other_person)
    # A delegate whose position is internal: sent to the network, never published by it.
    DelegateFactory(membership=membership, person=world.internal_person)
    applicant_note = sentinels.secret("networks join request reason")
    now = timezone.now()
    meeting = MeetingFactory(
        body=body,
        title="Netzwerktreffen Herbst",
        start=now + datetime.timedelta(days=30),
        end=now + datetime.timedelta(days=30, hours=2),
    )
    meeting.invitations_sent_at = now
    meeting.save()
    invitation = Invitation.objects.create(meeting=meeting, delegate=delegate)
    Invitation.objects.create(meeting=meeting, delegate=other_delegate)
    past = MeetingFactory(
        body=body,
        title="Netzwerktreffen Sommer",
        start=now - datetime.timedelta(days=60),
        end=now - datetime.timedelta(days=60, hours=-2),
    )
    Minutes.objects.create(meeting=past, text="Protokoll-Entwurf")
    action = ActionItem.objects.create(
        body=body,
        meeting=past,
        title="Flyer drucken",
        owner=other_membership,
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    agenda_item = AgendaItem.objects.create(meeting=meeting, title="Stadtteilfest", position=1)
    turn = HostTurn.objects.create(meeting=meeting, membership=other_membership)
    applicant = OrganisationFactory(name="Kita Sonnenschein", areas=[world.district])
    join_request = JoinRequest.objects.create(
        body=body, organisation=applicant, reason=f"Wir möchten mitmachen. {applicant_note}"
    )
    token = CalendarToken.objects.create(person=world.person)
    world.extra.update(
        body=body,
        membership=membership,
        other_membership=other_membership,
        delegate=delegate,
        meeting=meeting,
        past_meeting=past,
        invitation=invitation,
        action_item=action,
        agenda_item=agenda_item,
        turn=turn,
        join_request=join_request,
        calendar_token=token,
    )
