"""The small network of the statements tests (`net`): a body in Trier-West, its coordinator,
a planner, three member organisations each with a person who may sign, a member delegate
without the signing right, an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from quartier.accounts.models import Role, RoleAssignment
from quartier.networks.models import Delegate
from tests.factories.accounts import UserFactory
from tests.factories.areas import AreaFactory
from tests.factories.directory import OrganisationFactory, PersonFactory, PositionFactory
from tests.factories.networks import BodyFactory, MembershipFactory, TopicFactory


@dataclass
class Net:
    area: Any
    body: Any
    topic: Any
    coordinator: Any
    planner: Any
    signers: list[Any]  # users, one per member organisation
    organisations: list[Any]
    member: Any  # a delegate without the signing right
    outsider: Any


def _signer(body, organisation, name: str, *, may_sign: bool = True):
    user = UserFactory(username=name)
    person = PersonFactory(given_name=name.capitalize(), family_name="Muster", user=user)
    PositionFactory(person=person, organisation=organisation, role="Vorstand")
    membership = body.memberships.get(organisation=organisation)
    Delegate.objects.create(membership=membership, person=person, may_sign=may_sign)
    return user


@pytest.fixture
def net(db) -> Net:
    area = AreaFactory(name="Trier-West", slug="trier-west")
    body = BodyFactory(name="Netzwerk Trier-West", slug="netzwerk-trier-west", areas=[area])
    coordinator = UserFactory(username="koordination")
    RoleAssignment.objects.create(
        user=coordinator, role=Role.COORDINATOR, organisation=body.coordinating_organisation
    )
    planner = UserFactory(username="planung")
    RoleAssignment.objects.create(user=planner, role=Role.PLANNER, area=area)
    organisations = [
        OrganisationFactory(name=name)
        for name in ("Caritas Trier", "Jugendhilfe West", "Bürgerverein Pallien")
    ]
    for organisation in organisations:
        MembershipFactory(body=body, organisation=organisation, room_capacity=None)
    signers = [
        _signer(body, organisation, f"signer{number}")
        for number, organisation in enumerate(organisations)
    ]
    member = _signer(body, organisations[0], "mitglied", may_sign=False)
    return Net(
        area=area,
        body=body,
        topic=TopicFactory(slug="jugend", name="Jugend"),
        coordinator=coordinator,
        planner=planner,
        signers=signers,
        organisations=organisations,
        member=member,
        outsider=UserFactory(username="aussen"),
    )
