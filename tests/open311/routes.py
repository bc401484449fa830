"""Role matrix of the Open311 GeoReport v2 API (see tests/matrix.py): public, stateless."""

from quartier.concerns.tokens import track_token
from tests.matrix import Route, everyone


def _post(w):
    return {
        "api_key": w.open311_key,
        "service_code": w.concern_category.slug,
        "lat": "49.75",
        "long": "6.64",
        "description": "Schlagloch vor der Schule, sehr tief.",
    }


ROUTES = [
    Route("api:open311_discovery", everyone(), kwargs=lambda w: {"fmt": "json"}),
    Route("api:open311_discovery", everyone(404), kwargs=lambda w: {"fmt": "html"}),
    Route("api:open311_services", everyone(), kwargs=lambda w: {"fmt": "json"}),
    Route("api:open311_services", everyone(), kwargs=lambda w: {"fmt": "xml"}),
    Route("api:open311_service", everyone(), kwargs=lambda w: {"code": "wohnen", "fmt": "json"}),
    Route("api:open311_service", everyone(404), kwargs=lambda w: {"code": "nix", "fmt": "xml"}),
    Route("api:open311_requests", everyone(), kwargs=lambda w: {"fmt": "json"}),
    Route("api:open311_requests", everyone(), kwargs=lambda w: {"fmt": "xml"}),
    Route(
        "api:open311_requests", everyone(400), kwargs=lambda w: {"fmt": "json"}, query="?status=x"
    ),
    # The world's areas have no boundaries: its point lies outside every area (a clear 400).
    # Successful posts: tests/open311/test_open311.py and test_georeport_client.py.
    Route(
        "api:open311_requests",
        everyone(400),
        kwargs=lambda w: {"fmt": "json"},
        method="post",
        data=_post,
    ),
    Route(
        "api:open311_requests",
        everyone(403),
        kwargs=lambda w: {"fmt": "xml"},
        method="post",
        data=lambda w: {**_post(w), "api_key": "falsch"},
    ),
    Route("api:open311_request", everyone(), kwargs=lambda w: {"pk": w.concern.pk, "fmt": "json"}),
    Route("api:open311_request", everyone(404), kwargs=lambda w: {"pk": "999999", "fmt": "xml"}),
    Route(
        "api:open311_token",
        everyone(),
        kwargs=lambda w: {"token": track_token(w.concern), "fmt": "json"},
    ),
    Route("api:open311_token", everyone(404), kwargs=lambda w: {"token": "x", "fmt": "json"}),
]
