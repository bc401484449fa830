"""A small, complete region with one user per role, used by the role matrix and view tests.

Land > Stadt > Sozialraum > Stadtteil; an organisation working in the Stadtteil; an
organisation elsewhere (for "not your organisation" checks). Apps extend the world through
`tests/<app>/world.py` with a function `extend(world)` that adds their own objects.

Personal and internal data is planted as sentinels (tests/sentinels.py) for the privacy sweep
(tests/test_privacy_sweep.py): internal contact fields, organisations' internal notes, a staff
user's e-mail, people with an internal or an ended position.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from quartier.accounts.models import Role, RoleAssignment
from tests import sentinels
from tests.factories.accounts import UserFactory
from tests.factories.areas import AreaFactory, link
from tests.factories.directory import OrganisationFactory, PersonFactory, PositionFactory

ROLES = ("anonymous", "resident", "editor", "coordinator", "planner", "admin")
PASSWORD = "test-password-123"


@dataclass
class World:
    land: Any
    city: Any
    social_space: Any
    district: Any
    other_city: Any
    organisation: Any
    other_organisation: Any
    person: Any
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def __getattr__(self, name: str) -> Any:
        # Objects added by apps' world extensions: world.body, world.room, ...
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    land = AreaFactory(name="Rheinland-Pfalz", slug="rlp", kind__slug="land", kind__level=0)
    city = AreaFactory(name="Teststadt", slug="teststadt", kind__slug="stadt", kind__level=1)
    social_space = AreaFactory(
        name="Sozialraum Nord", slug="sozialraum-nord", kind__slug="sozialraum", kind__level=2
    )
    district = AreaFactory(
        name="Nordviertel", slug="nordviertel", kind__slug="stadtteil", kind__level=3
    )
    other_city = AreaFactory(name="Anderstadt", slug="anderstadt", kind=city.kind)
    link(land, city)
    link(city, social_space)
    link(social_space, district)
    link(land, other_city)

    organisation = OrganisationFactory(
        name="Nachbarschaftshaus Nord",
        areas=[district],
        internal_notes=sentinels.secret("organisation internal notes"),
    )
    other_organisation = OrganisationFactory(
        name="Verein Anderstadt",
        areas=[other_city],
        internal_notes=sentinels.secret("other organisation internal notes"),
    )
    person = PersonFactory(
        given_name="Erika",
        family_name="Beispiel",
        mobile=sentinels.secret_phone("person internal mobile"),
        office_hours=sentinels.secret("person internal office hours"),
        office_hours_public=False,
    )
    PositionFactory(person=person, organisation=organisation, role="Leitung")
    people = _sentinel_people(organisation, other_organisation)

    users = {
        "resident": UserFactory(username="resident"),
        "editor": UserFactory(
            username="editor",
            email=sentinels.secret_email("editor user"),
            last_name=sentinels.secret("editor user family name"),
        ),
        "coordinator": UserFactory(username="coordinator"),
        "planner": UserFactory(username="planner"),
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    RoleAssignment.objects.create(user=users["editor"], role=Role.EDITOR, organisation=organisation)
    RoleAssignment.objects.create(
        user=users["coordinator"],
        role=Role.COORDINATOR,
        organisation=organisation,
        area=social_space,
    )
    RoleAssignment.objects.create(user=users["planner"], role=Role.PLANNER, area=city)

    world = World(
        land=land,
        city=city,
        social_space=social_space,
        district=district,
        other_city=other_city,
        organisation=organisation,
        other_organisation=other_organisation,
        person=person,
        users=users,
        extra=people,
    )
    for extension in _extensions():
        extension(world)
    return world


def _sentinel_people(organisation, other_organisation) -> dict[str, Any]:
    """People for the privacy sweep (tests/sentinels.py): an internal position and an ended
    one at the world's organisation (never named publicly, whatever they are linked to), and a
    public contact of the other organisation (the positive control). Apps link them to their
    objects: world.internal_person, world.former_person, world.public_person."""
    internal = PersonFactory(
        given_name="Ina",
        family_name=sentinels.secret("internal position person"),
        email=sentinels.secret_email("internal position person"),
    )
    PositionFactory(person=internal, organisation=organisation, role="Buchhaltung", is_public=False)
    former = PersonFactory(
        given_name="Fritz",
        family_name=sentinels.secret("ended position person"),
        email=sentinels.secret_email("ended position person"),
    )
    PositionFactory(
        person=former,
        organisation=organisation,
        role="Leitung bis 2020",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2020, 12, 31),
    )
    public = PersonFactory(
        given_name="Paula",
        family_name=sentinels.public("public contact person"),
        email=sentinels.public_email("public contact person"),
    )
    PositionFactory(person=public, organisation=other_organisation, role="Beratung")
    return {"internal_person": internal, "former_person": former, "public_person": public}


def _extensions():
    """Each tests/<app>/world.py's `extend`, ordered by its module's ORDER (default 100)."""
    import tests

    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.world")
        except ModuleNotFoundError as exc:
            if exc.name == f"tests.{info.name}.world":
                continue
            raise
        modules.append(module)
    modules.sort(key=lambda module: (getattr(module, "ORDER", 100), module.__name__))
    return [module.extend for module in modules]
