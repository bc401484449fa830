"""Role matrix of the venues app (see tests/matrix.py).

Managers of world.venue: its organisation's editor and coordinator, the planner of the city
above its district, and the admin. The other venue is managed by nobody in the world but the
admin.
"""

from quartier.venues.tokens import cancel_token, confirm_path
from tests.matrix import Route, everyone, only

MANAGERS = {"editor", "coordinator", "planner", "admin"}
ROOM = lambda w: {"venue": w.venue.slug, "slug": w.room.slug}  # noqa: E731
BOOKING = lambda w: {"pk": w.room_booking.pk}  # noqa: E731
OTHER_BOOKING = lambda w: {"pk": w.other_room_booking.pk}  # noqa: E731


def _management(prefix: str) -> dict:
    """An empty inline formset (the world's venue has no hours, closing days or photos)."""
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def _confirm_token(world) -> str:
    return confirm_path(world.unconfirmed_request).rstrip("/").rsplit("/", 1)[1]


def _api(ok: int) -> dict:
    return {**only(MANAGERS, ok=ok), "anonymous": 401}


ROUTES = [
    Route("venues:index", everyone()),
    Route("venues:venue", everyone(), kwargs=lambda w: {"slug": w.venue.slug}),
    Route("venues:venue", everyone(404), kwargs=lambda w: {"slug": "gibt-es-nicht"}),
    Route("venues:room", everyone(), kwargs=ROOM),
    Route("venues:room", everyone(), kwargs=ROOM, query="?view=month&date=2030-03-01"),
    Route("venues:room", everyone(), kwargs=ROOM, query="?date=kaputt"),
    Route("venues:availability", everyone(302), kwargs=ROOM, query="?view=week"),
    Route("venues:room_ics", everyone(), kwargs=ROOM),
    Route("venues:request", everyone(), kwargs=ROOM),
    Route(
        "venues:request",
        everyone(302),
        kwargs=ROOM,
        method="post",
        data=lambda w: {
            "title": "Spieleabend",
            "date": "2030-03-07",
            "start_time": "18:00",
            "end_time": "21:00",
            "name": "Ben Beispiel",
            "email": "ben@example.org",
            "consent": "on",
        },
    ),
    Route(
        "venues:request",
        everyone(400),
        kwargs=ROOM,
        method="post",
        data=lambda w: {
            "title": "Doppelt",
            "date": "2030-03-05",
            "start_time": "19:00",
            "end_time": "20:00",
            "name": "Ben Beispiel",
            "email": "ben@example.org",
            "consent": "on",
        },
    ),
    Route("venues:cancel", everyone(), kwargs=lambda w: {"token": cancel_token(w.room_booking)}),
    Route("venues:cancel", everyone(404), kwargs=lambda w: {"token": "gefaelscht"}),
    Route(
        "venues:cancel",
        everyone(302),
        kwargs=lambda w: {"token": cancel_token(w.room_booking)},
        method="post",
    ),
    # The confirmation link of an anonymous request: whoever holds it (the mail) confirms.
    Route("venues:confirm", everyone(), kwargs=lambda w: {"token": _confirm_token(w)}),
    Route("venues:confirm", everyone(400), kwargs=lambda w: {"token": "gefaelscht"}),
    Route(
        "venues:confirm",
        everyone(),
        kwargs=lambda w: {"token": _confirm_token(w)},
        method="post",
    ),
    Route("backoffice:venues:index", only(MANAGERS)),
    Route("backoffice:venues:booking", only(MANAGERS), kwargs=BOOKING),
    Route("backoffice:venues:booking", only({"admin"}), kwargs=OTHER_BOOKING),
    Route("backoffice:venues:booking_history", only(MANAGERS), kwargs=BOOKING),
    Route("backoffice:venues:booking_history", only({"admin"}), kwargs=OTHER_BOOKING),
    Route(
        "backoffice:venues:booking_decide",
        only(MANAGERS, ok=302),
        kwargs=BOOKING,
        method="post",
        data=lambda w: {"action": "approve", "note": ""},
    ),
    Route(
        "backoffice:venues:booking_decide",
        only({"admin"}, ok=302),
        kwargs=OTHER_BOOKING,
        method="post",
        data=lambda w: {"action": "reject", "note": ""},
    ),
    Route("backoffice:venues:booking_decide", everyone(405), kwargs=BOOKING),
    Route(
        "backoffice:venues:booking_cancel",
        only(MANAGERS, ok=302),
        kwargs=BOOKING,
        method="post",
        data=lambda w: {"reason": "Wasserschaden"},
    ),
    Route(
        "backoffice:venues:booking_skip",
        only(MANAGERS, ok=302),
        kwargs=BOOKING,
        method="post",
        data=lambda w: {"occurrence": "2030-03-05T17:00:00+00:00"},
        changes=False,  # the world's booking is no series: refused with a message
    ),
    Route("backoffice:venues:booking_new", only(MANAGERS), kwargs=lambda w: {"pk": w.room.pk}),
    Route(
        "backoffice:venues:booking_new",
        only({"admin"}),
        kwargs=lambda w: {"pk": w.other_room.pk},
    ),
    Route(
        "backoffice:venues:booking_new",
        only(MANAGERS, ok=302),
        kwargs=lambda w: {"pk": w.room.pk},
        method="post",
        data=lambda w: {
            "title": "Arbeitskreis",
            "date": "2030-03-10",
            "start_time": "18:00",
            "end_time": "20:00",
            "repeat": "biweekly",
            "until": "2030-06-30",
        },
    ),
    Route("backoffice:venues:room_edit", only(MANAGERS), kwargs=lambda w: {"pk": w.room.pk}),
    Route("backoffice:venues:room_edit", only({"admin"}), kwargs=lambda w: {"pk": w.other_room.pk}),
    Route(
        "backoffice:venues:room_delete",
        only(MANAGERS, ok=302),
        kwargs=lambda w: {"pk": w.room.pk},
        method="post",
        changes=False,  # the room has upcoming bookings: refused with a message
    ),
    Route("backoffice:venues:venue_edit", only(MANAGERS), kwargs=lambda w: {"pk": w.venue.pk}),
    Route(
        "backoffice:venues:venue_edit",
        only({"admin"}),
        kwargs=lambda w: {"pk": w.other_venue.pk},
    ),
    Route(
        "backoffice:venues:venue_edit",
        only(MANAGERS, ok=302),
        kwargs=lambda w: {"pk": w.venue.pk},
        method="post",
        data=lambda w: {
            "name": "Nachbarschaftshaus Nord",
            "is_active": "on",
            **_management("hours"),
            **_management("closing"),
        },
    ),
    Route(
        "backoffice:venues:venue_edit",
        only(MANAGERS, ok=400),
        kwargs=lambda w: {"pk": w.venue.pk},
        method="post",
        data=lambda w: {"name": "", **_management("hours"), **_management("closing")},
    ),
    Route("backoffice:venues:room_photos", only(MANAGERS), kwargs=lambda w: {"pk": w.room.pk}),
    Route(
        "backoffice:venues:room_photos",
        only({"admin"}),
        kwargs=lambda w: {"pk": w.other_room.pk},
    ),
    Route(
        "backoffice:venues:room_photos",
        only(MANAGERS, ok=302),
        kwargs=lambda w: {"pk": w.room.pk},
        method="post",
        data=lambda w: _management("photos"),
        changes=False,  # an empty formset saves nothing
    ),
    Route("api:venues_venue_list", everyone()),
    Route(
        "api:venues_room_busy",
        everyone(),
        kwargs=lambda w: {"room_id": w.room.pk},
        query="?start=2030-03-02&end=2030-03-09",
    ),
    Route(
        "api:venues_room_busy",
        everyone(422),
        kwargs=lambda w: {"room_id": w.room.pk},
        query="?start=2030-03-09&end=2030-03-02",
    ),
    Route(
        "api:venues_booking_create",
        _api(201),
        method="post",
        content_type="application/json",
        data=lambda w: {
            "room": w.room.pk,
            "title": "Vorstandssitzung",
            "start": "2030-04-01T18:00:00+02:00",
            "end": "2030-04-01T20:00:00+02:00",
        },
    ),
    Route(
        "api:venues_booking_create",
        _api(409),
        method="post",
        content_type="application/json",
        data=lambda w: {
            "room": w.room.pk,
            "title": "Doppelt",
            "start": "2030-03-05T19:00:00+01:00",
            "end": "2030-03-05T21:00:00+01:00",
        },
    ),
    # Field-level: `organisation` only one the user works for (admins: any); else 422.
    Route(
        "api:venues_booking_create",
        {**_api(422), "resident": 403, "admin": 201},
        method="post",
        content_type="application/json",
        data=lambda w: {
            "room": w.room.pk,
            "title": "Fremd",
            "start": "2030-04-02T18:00:00+02:00",
            "end": "2030-04-02T20:00:00+02:00",
            "organisation": w.other_organisation.slug,
        },
    ),
    Route(
        "api:venues_booking_create",
        {**_api(201), "resident": 403, "planner": 422},
        method="post",
        content_type="application/json",
        data=lambda w: {
            "room": w.room.pk,
            "title": "Eigen",
            "start": "2030-04-03T18:00:00+02:00",
            "end": "2030-04-03T20:00:00+02:00",
            "organisation": w.organisation.slug,
        },
    ),
    Route(
        "api:venues_booking_create",
        {**_api(422), "resident": 403},
        method="post",
        content_type="application/json",
        data=lambda w: {
            "room": w.room.pk,
            "title": "Unbekannt",
            "start": "2030-04-03T18:00:00+02:00",
            "end": "2030-04-03T20:00:00+02:00",
            "organisation": "gibt-es-nicht",
        },
    ),
    Route(
        "api:venues_booking_cancel",
        _api(200),
        kwargs=lambda w: {"booking_id": w.room_booking.pk},
        method="post",
    ),
]
