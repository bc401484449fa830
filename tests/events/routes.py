"""Role matrix of the events app (see tests/matrix.py)."""

import itertools

from quartier.events import services
from quartier.events.tokens import (
    registration_confirm_path,
    registration_token,
    signup_confirm_path,
    signup_token,
)
from tests.matrix import STAFF, Route, everyone, only

MANAGERS = {"editor", "coordinator", "planner", "admin"}  # of world.event
_numbers = itertools.count()


def _token(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def _pending_registration(w) -> dict:
    """A fresh anonymous registration awaiting its confirmation: each role confirms its own."""
    registration = services.registration_create(
        event=w.event, name="Pia", email=f"pending{next(_numbers)}@example.org"
    )
    return {"token": _token(registration_confirm_path(registration))}


def _pending_signup(w) -> dict:
    from tests.factories.events import ShiftFactory

    # A shift of its own each time: the world's shift fills up as the roles confirm.
    signup = services.shift_signup_create(
        shift=ShiftFactory(event=w.event), first_name="Pia", email="pending@example.org"
    )
    return {"token": _token(signup_confirm_path(signup))}


FEED_ADDERS = {"editor", "coordinator", "admin"}  # people with an organisation

ROUTES = [
    Route("events:calendar", everyone()),
    Route("events:calendar", everyone(), query="?area=nordviertel&free=on"),
    Route("events:feed", everyone()),
    Route("events:feed", everyone(400), query="?category=unknown"),
    Route("events:feed", everyone(400), query="?topic=not-a-topic"),
    Route("events:calendar", everyone(), query="?topic=not-a-topic"),
    Route("events:month", everyone(), kwargs=lambda w: {"year": 2026, "month": 11}),
    Route("events:month", everyone(404), kwargs=lambda w: {"year": 2026, "month": 13}),
    Route("events:detail", everyone(), kwargs=lambda w: {"slug": w.event.slug}),
    Route("events:detail", everyone(404), kwargs=lambda w: {"slug": "gibt-es-nicht"}),
    Route("events:ics", everyone(), kwargs=lambda w: {"slug": w.event.slug}),
    Route(
        "events:register",
        everyone(302),
        kwargs=lambda w: {"slug": w.event.slug},
        method="post",
        data=lambda w: {"name": "Ada", "email": "ada@example.org", "consent": "on"},
    ),
    Route(
        "events:register",
        everyone(400),
        kwargs=lambda w: {"slug": w.event.slug},
        method="post",
        data=lambda w: {"name": "Ada", "email": "kein-mail"},
    ),
    Route("events:register", everyone(405), kwargs=lambda w: {"slug": w.event.slug}),
    Route(
        "events:registration_cancel",
        everyone(),
        kwargs=lambda w: {"token": registration_token(w.registration)},
    ),
    Route(
        "events:registration_cancel",
        everyone(302),
        kwargs=lambda w: {"token": registration_token(w.registration)},
        method="post",
        data=lambda w: {},
    ),
    Route("events:registration_cancel", everyone(404), kwargs=lambda w: {"token": "forged:x"}),
    # The confirmation links of anonymous registrations and sign-ups (issue 19).
    Route("events:registration_confirm", everyone(), kwargs=_pending_registration),
    Route(
        "events:registration_confirm",
        everyone(),
        kwargs=_pending_registration,
        method="post",
        data=lambda w: {},
    ),
    Route("events:registration_confirm", everyone(400), kwargs=lambda w: {"token": "forged:x"}),
    Route("events:signup_confirm", everyone(), kwargs=_pending_signup),
    Route(
        "events:signup_confirm",
        everyone(),
        kwargs=_pending_signup,
        method="post",
        data=lambda w: {},
    ),
    Route(
        "events:signup_confirm",
        everyone(400),
        kwargs=lambda w: {"token": "forged:x"},
        method="post",
        data=lambda w: {},
    ),
    Route(
        "events:shift_signup",
        everyone(302),
        kwargs=lambda w: {"slug": w.event.slug, "shift_id": w.shift.pk},
        method="post",
        data=lambda w: {
            f"shift{w.shift.pk}-first_name": "Jo",
            f"shift{w.shift.pk}-email": "jo@example.org",
        },
    ),
    Route(
        "events:signup_cancel", everyone(), kwargs=lambda w: {"token": signup_token(w.shift_signup)}
    ),
    Route(
        "events:signup_cancel",
        everyone(302),
        kwargs=lambda w: {"token": signup_token(w.shift_signup)},
        method="post",
        data=lambda w: {},
    ),
    # Back office
    Route("backoffice:events:list", only(STAFF)),
    Route("backoffice:events:create", only(STAFF)),
    Route("backoffice:events:create", only(STAFF, ok=400), method="post", data=lambda w: {}),
    Route("backoffice:events:edit", only(MANAGERS), kwargs=lambda w: {"pk": w.event.pk}),
    Route("backoffice:events:edit", only({"admin"}), kwargs=lambda w: {"pk": w.other_event.pk}),
    Route("backoffice:events:history", only(MANAGERS), kwargs=lambda w: {"pk": w.event.pk}),
    Route("backoffice:events:history", only({"admin"}), kwargs=lambda w: {"pk": w.other_event.pk}),
    Route(
        "backoffice:events:edit",
        only(MANAGERS, ok=400),
        kwargs=lambda w: {"pk": w.event.pk},
        method="post",
        data=lambda w: {},
    ),
    Route(
        "backoffice:events:cancel",
        only(MANAGERS, ok=302),
        kwargs=lambda w: {"pk": w.event.pk},
        method="post",
        data=lambda w: {},
    ),
    Route("backoffice:events:people", only(MANAGERS), kwargs=lambda w: {"pk": w.event.pk}),
    Route("backoffice:events:people", only({"admin"}), kwargs=lambda w: {"pk": w.other_event.pk}),
    Route(
        "backoffice:events:people",
        only(MANAGERS, ok=400),
        kwargs=lambda w: {"pk": w.event.pk},
        method="post",
        data=lambda w: {},
    ),
    Route("backoffice:events:feeds", only(STAFF)),
    Route(
        "backoffice:events:feeds",
        # An address on this server is refused by the form (events.fetch), so no role's request
        # reaches the network; adding a public feed is tested in test_backoffice.py.
        only(FEED_ADDERS, ok=400),
        method="post",
        data=lambda w: {"organisation": w.organisation.pk, "url": "http://127.0.0.1:9/n.ics"},
    ),
    Route(
        "backoffice:events:feed_import",
        only(FEED_ADDERS, ok=302),
        kwargs=lambda w: {"pk": w.feed.pk},
        method="post",
        data=lambda w: {},
        changes=False,  # the import is queued after commit, which the matrix never reaches
    ),
    Route(
        "backoffice:events:feed_import",
        only({"admin"}, ok=302),
        kwargs=lambda w: {"pk": w.other_feed.pk},
        method="post",
        data=lambda w: {},
        changes=False,  # queued after commit, as above
    ),
    # API
    Route("api:event_list", everyone()),
    Route("api:event_list", everyone(422), query="?area=unknown"),
    Route("api:event_detail", everyone(), kwargs=lambda w: {"slug": w.event.slug}),
    Route("api:event_detail", everyone(404), kwargs=lambda w: {"slug": "other"}),
]
