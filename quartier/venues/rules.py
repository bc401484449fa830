"""Who may manage venues and book rooms.

- Venue managers: platform admins; coordinators and editors of the organisation that runs the
  venue; planners of the venue's area (or an area above it).
- Booking in the back office: venue managers, and staff (editor/coordinator) of an
  organisation listed in the room's `bookable_by`, and members or coordinators of a body
  listed in `bookable_by_bodies` (reusing quartier.networks.rules).
- Everyone else requests through the public form when the room allows it.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from quartier.accounts.rules import is_platform_admin, is_staff_member, scope_of
from quartier.areas.rules import managed_area_ids
from quartier.networks.rules import coordinated_body_ids, member_body_ids


def staff_organisation_ids(user) -> set[int]:
    scope = scope_of(user)
    return scope.editor_organisation_ids | scope.coordinator_organisation_ids


def booking_body_ids(user) -> set[int]:
    """Bodies a user may book rooms for: current membership (delegate or staff of a current
    member organisation) or coordination."""
    return member_body_ids(user) | coordinated_body_ids(user)


def _venue_of(obj):
    # Accept a venue, a room or a booking, so that one predicate serves all three.
    if obj is None:
        return None
    if hasattr(obj, "room"):
        obj = obj.room
    return getattr(obj, "venue", obj)


@rules.predicate
def manages_venue(user, obj) -> bool:
    venue = _venue_of(obj)
    if venue is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if venue.organisation_id in staff_organisation_ids(user):
        return True
    return venue.area_id is not None and venue.area_id in managed_area_ids(user)


@rules.predicate
def may_book_room(user, room) -> bool:
    if room is None or not user.is_authenticated:
        return False
    if manages_venue(user, room):
        return True
    organisations = staff_organisation_ids(user)
    if organisations and room.bookable_by.filter(pk__in=organisations).exists():
        return True
    bodies = booking_body_ids(user)
    return bool(bodies) and room.bookable_by_bodies.filter(pk__in=bodies).exists()


@rules.predicate
def created_booking(user, booking) -> bool:
    return booking is not None and user.is_authenticated and booking.created_by_id == user.pk


def rules_q_managed(organisation_ids: set[int], area_ids: set[int]):
    return Q(organisation_id__in=organisation_ids) | Q(area_id__in=area_ids)


rules.add_perm("venues.view_venue", rules.always_allow)
rules.add_perm("venues.add_venue", is_platform_admin)
rules.add_perm("venues.change_venue", manages_venue)
rules.add_perm("venues.delete_venue", is_platform_admin)
rules.add_perm("venues.change_room", manages_venue)
rules.add_perm("venues.delete_room", manages_venue)
rules.add_perm("venues.book_room", may_book_room)
rules.add_perm("venues.decide_booking", manages_venue)
rules.add_perm("venues.cancel_booking", manages_venue | created_booking)
rules.add_perm("venues.view_booking", manages_venue | created_booking)
rules.add_perm("venues.list_bookings", is_staff_member)
