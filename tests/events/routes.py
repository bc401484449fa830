"""Role matrix of the events app (see tests/matrix.py)."""

from quartier.events.tokens import registration_token, signup_token
from tests.matrix import STAFF, Route, everyone, only

MANAGERS = {"editor", "coordinator", "planner", "admin"}  # of world.event
FEED_ADDERS = {"editor", "coordinator", "admin"}  # people with an organisation

ROUTES = [
    Route("events:calendar", everyone()),
    Route("events:calendar", everyone(), query="?area=nordviertel&free=on"),
    Route("events:feed", everyone()),
    Route("events:feed", everyone(400), query="?category=unknown"),
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
