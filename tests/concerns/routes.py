"""Role matrix of the concerns app (see tests/matrix.py)."""

from quartier.concerns.tokens import track_token
from tests.matrix import STAFF, Route, everyone, only

HANDLERS = STAFF  # of world.concern (area and organisation)


def _report(w):
    return {
        "category": w.concern_category.pk,
        "description": "Der Gehweg am Markt ist seit Tagen aufgerissen.",
        "area": w.district.pk,
    }


ROUTES = [
    Route("concerns:list", everyone()),
    Route("concerns:list", everyone(), query="?area=nordviertel&status=received"),
    Route("concerns:list", everyone(400), query="?category=gibt-es-nicht"),
    Route("concerns:geojson", everyone(), query="?bbox=6,49,7,50"),
    Route("concerns:geojson", everyone(400), query="?bbox=7,50,6,49"),
    Route("concerns:report", everyone()),
    Route("concerns:report", everyone(302), method="post", data=_report),
    Route("concerns:nearby", everyone(), query="?lat=49.756&lon=6.641"),
    Route("concerns:nearby", everyone(400), query="?lat=x"),
    Route("concerns:detail", everyone(), kwargs=lambda w: {"pk": w.concern.pk}),
    Route("concerns:detail", everyone(404), kwargs=lambda w: {"pk": 999999}),
    Route("concerns:track", everyone(), kwargs=lambda w: {"token": track_token(w.concern)}),
    Route(
        "concerns:track",
        everyone(302),
        kwargs=lambda w: {"token": track_token(w.concern)},
        method="post",
        data=lambda w: {},
    ),
    Route("concerns:track", everyone(404), kwargs=lambda w: {"token": "gefälscht"}),
    # Back office
    Route("backoffice:concerns:inbox", only(STAFF)),
    Route("backoffice:concerns:inbox", only(STAFF), query="?show=flagged"),
    Route("backoffice:concerns:detail", only(HANDLERS), kwargs=lambda w: {"pk": w.concern.pk}),
    Route(
        "backoffice:concerns:detail", only({"admin"}), kwargs=lambda w: {"pk": w.other_concern.pk}
    ),
    Route(
        "backoffice:concerns:status",
        only(HANDLERS, ok=302),
        kwargs=lambda w: {"pk": w.concern.pk},
        method="post",
        data=lambda w: {"status": "in_progress", "note": "Wir sind dran.", "note_public": "on"},
    ),
    Route(
        "backoffice:concerns:status",
        only(HANDLERS, ok=400),
        kwargs=lambda w: {"pk": w.concern.pk},
        method="post",
        data=lambda w: {"status": "forwarded"},
    ),
    Route(
        "backoffice:concerns:answer",
        only(HANDLERS, ok=302),
        kwargs=lambda w: {"pk": w.concern.pk},
        method="post",
        data=lambda w: {"text": "Danke für den Hinweis.", "is_public": "on"},
    ),
    Route(
        "backoffice:concerns:answer",
        only({"admin"}, ok=400),
        kwargs=lambda w: {"pk": w.other_concern.pk},
        method="post",
        data=lambda w: {"text": ""},
    ),
    Route(
        "backoffice:concerns:merge",
        only(HANDLERS, ok=400),
        kwargs=lambda w: {"pk": w.concern.pk},
        method="post",
        data=lambda w: {"into": w.other_concern.pk},
    ),
    Route(
        "backoffice:concerns:agenda",
        only(HANDLERS, ok=400),
        kwargs=lambda w: {"pk": w.concern.pk},
        method="post",
        data=lambda w: {"meeting": ""},
    ),
    Route("backoffice:concerns:photo", only(HANDLERS), kwargs=lambda w: {"pk": w.concern_photo.pk}),
    Route("backoffice:concerns:rules", only({"planner", "admin"})),
    Route(
        "backoffice:concerns:rules",
        only({"planner", "admin"}, ok=400),
        method="post",
        data=lambda w: {"area": w.district.pk},
    ),
    Route(
        "backoffice:concerns:rule_delete",
        only({"planner", "admin"}, ok=404),
        kwargs=lambda w: {"pk": 999999},
        method="post",
        data=lambda w: {},
    ),
    Route("backoffice:concerns:clients", only({"admin"})),
    Route(
        "backoffice:concerns:clients",
        only({"admin"}, ok=400),
        method="post",
        data=lambda w: {"name": ""},
    ),
    Route(
        "backoffice:concerns:client_toggle",
        only({"admin"}, ok=302),
        kwargs=lambda w: {"pk": w.open311_client.pk},
        method="post",
        data=lambda w: {},
    ),
    Route("backoffice:concerns:settings", only(STAFF)),
    Route(
        "backoffice:concerns:settings",
        only(STAFF, ok=302),
        method="post",
        data=lambda w: {"notify": "daily"},
    ),
]
