"""Rooms bookable by the members of a body (networks app)."""

import datetime as dt

from django.urls import reverse

from quartier.accounts.models import Role, RoleAssignment
from quartier.venues.models import Booking, BookingStatus
from quartier.venues.selectors import bookable_rooms
from tests.factories.accounts import UserFactory
from tests.factories.directory import PersonFactory
from tests.factories.networks import BodyFactory, DelegateFactory, MembershipFactory

SLOT = {"title": "AG Spielplatz", "date": "2030-04-02", "start_time": "18:00", "end_time": "20:00"}


def _delegate(body, **membership):
    user = UserFactory()
    DelegateFactory(
        membership=MembershipFactory(body=body, **membership), person=PersonFactory(user=user)
    )
    return user


def _book(user, room):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.post(reverse("backoffice:venues:booking_new", kwargs={"pk": room.pk}), SLOT)


def test_delegate_of_a_current_member_may_book_and_needs_approval(world):
    body = BodyFactory(slug="raumgremium-1", name="Stadtteilnetzwerk Anderstadt")
    world.other_room.bookable_by_bodies.add(body)
    user = _delegate(body)
    assert user.has_perm("venues.book_room", world.other_room)
    assert list(bookable_rooms(user)) == [world.other_room]
    assert _book(user, world.other_room).status_code == 302
    assert Booking.objects.get(title="AG Spielplatz").status == BookingStatus.REQUESTED


def test_coordinator_of_the_body_may_book(world):
    body = BodyFactory(slug="raumgremium-2", coordinating_organisation=world.organisation)
    world.other_room.bookable_by_bodies.add(body)
    coordinator = world.users["coordinator"]
    assert coordinator.has_perm("venues.book_room", world.other_room)
    assert _book(coordinator, world.other_room).status_code == 302


def test_former_members_and_other_bodies_may_not_book(world):
    body = BodyFactory(slug="raumgremium-3")
    world.other_room.bookable_by_bodies.add(body)
    former = _delegate(body, end_date=dt.date(2025, 1, 1))
    outsider = _delegate(BodyFactory(slug="raumgremium-4"))
    for user in (former, outsider, world.users["resident"], world.users["editor"]):
        assert not user.has_perm("venues.book_room", world.other_room)
        assert _book(user, world.other_room).status_code == 403
    assert not Booking.objects.filter(title="AG Spielplatz").exists()


def test_editor_of_a_member_organisation_may_book(world):
    body = BodyFactory(slug="raumgremium-5")
    MembershipFactory(body=body, organisation=world.other_organisation)
    world.room.bookable_by_bodies.add(body)
    staff = UserFactory()
    RoleAssignment.objects.create(
        user=staff, role=Role.EDITOR, organisation=world.other_organisation
    )
    assert staff.has_perm("venues.book_room", world.room)


def test_room_form_sets_bodies_and_the_room_page_names_them(world, client):
    body = BodyFactory(slug="raumgremium-6", name="Runder Tisch Nord", is_public=True)
    url = reverse("backoffice:venues:room_edit", kwargs={"pk": world.room.pk})
    editor = world.client("editor")
    form_html = editor.get(url).content.decode()
    assert "Runder Tisch Nord" in form_html
    data = {
        "name": "Saal",
        "capacity": 40,
        "lead_time_hours": 0,
        "max_length_minutes": 480,
        "buffer_minutes": 15,
        "booking_window_days": 365,
        "approval": "external",
        "is_active": "on",
        "bookable_by_bodies": [body.pk],
    }
    assert editor.post(url, data).status_code == 302
    assert list(world.room.bookable_by_bodies.all()) == [body]
    page = client.get(world.room.get_absolute_url()).content.decode()
    assert "Buchbar für Mitglieder von:" in page
    assert reverse("networks:body", kwargs={"slug": body.slug}) in page


def test_room_form_refuses_an_unknown_body(world):
    url = reverse("backoffice:venues:room_edit", kwargs={"pk": world.room.pk})
    data = {
        "name": "Saal",
        "capacity": 40,
        "lead_time_hours": 0,
        "max_length_minutes": 480,
        "buffer_minutes": 0,
        "booking_window_days": 365,
        "approval": "external",
        "bookable_by_bodies": [999999],
    }
    response = world.client("editor").post(url, data)
    assert response.status_code == 400
    assert not world.room.bookable_by_bodies.exists()
