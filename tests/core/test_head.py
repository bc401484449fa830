"""HEAD answers as GET does, on every route (quartier/core/middleware.py).

Walks every URL pattern of the role matrix (the GET that probes it) as an anonymous visitor
and as the platform admin, and every GET operation of the OpenAPI schema, and compares HEAD
with GET: status, headers (Content-Type, Content-Length, Location, ...), and no body.
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from quartier.api.base import api
from quartier.core.middleware import HeadAsGetMiddleware
from tests.core.test_role_matrix import BY_PATTERN, PATTERNS, _probe_target, matrix_world

__all__ = ["matrix_world"]  # the module-scoped world, shared with the role matrix

# Headers that differ between any two requests, whatever their method.
VOLATILE = {"date", "expires", "set-cookie"}


def _headers(response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in VOLATILE}


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", PATTERNS)
def test_head_answers_as_get(pattern: str, matrix_world):
    # A pattern without a GET route (POST only) is probed too: HEAD is refused as GET is.
    target = _probe_target(BY_PATTERN[pattern])
    url = target.url(matrix_world)
    for role in ("anonymous", "admin"):
        client = matrix_world.client(role)
        got = client.get(url)
        head = client.head(url)
        said = f"HEAD {url} as {role}"
        assert head.status_code == got.status_code, (
            f"{said}: {head.status_code}, GET answers {got.status_code}"
        )
        if got.status_code != 405:
            assert head.status_code != 405, f"{said}: 405"
        assert _headers(head) == _headers(got), said
        if not got.streaming and got.status_code not in (204, 304):
            assert head["Content-Length"] == str(len(got.content)), said
        assert head.content == b"", said


def _normalised(route: str) -> str:
    """A Django route or an OpenAPI path with every parameter as {}."""
    route = re.sub(r"<[^>]+>", "{}", route)
    return re.sub(r"\{[^}]+\}", "{}", route).strip("/")


def test_every_openapi_get_operation_is_walked():
    walked = {_normalised(pattern) for pattern in PATTERNS}
    paths = api.get_openapi_schema()["paths"]
    gets = [path for path, operations in paths.items() if "get" in operations]
    assert gets, "no GET operation in the OpenAPI schema"
    missing = sorted(path for path in gets if _normalised(path) not in walked)
    assert not missing, f"OpenAPI GET operations the HEAD walk does not reach: {missing}"


def _through(response: HttpResponse, method: str = "HEAD") -> HttpResponse:
    request = RequestFactory().generic(method, "/somewhere/")
    seen = []

    def view(req):
        seen.append(req.method)
        return response

    result = HeadAsGetMiddleware(view)(request)
    assert seen == ["GET"] if method == "HEAD" else [method]
    assert request.method == method
    return result


def test_middleware_drops_the_body_and_keeps_the_length():
    response = _through(HttpResponse(b"twelve bytes", content_type="text/plain"))
    assert response.content == b""
    assert response["Content-Length"] == "12"
    assert response["Content-Type"] == "text/plain"


def test_middleware_streaming_and_files(tmp_path):
    streamed = _through(StreamingHttpResponse(iter([b"a", b"b"])))
    assert b"".join(streamed.streaming_content) == b""
    path = tmp_path / "f.txt"
    path.write_bytes(b"0123456789")
    with path.open("rb") as handle:
        served = _through(FileResponse(handle))
        assert served["Content-Length"] == "10"
        assert b"".join(served.streaming_content) == b""
        # Not served.close(): it sends request_finished, which touches the database.


def test_a_405_that_allows_get_names_head():
    from django.http import HttpResponseNotAllowed

    response = _through(HttpResponseNotAllowed(["GET", "POST"]), method="PUT")
    assert response["Allow"] == "GET, POST, HEAD"
    untouched = _through(HttpResponseNotAllowed(["POST"]), method="PUT")
    assert untouched["Allow"] == "POST"


def test_get_keeps_its_body():
    response = _through(HttpResponse(b"body"), method="GET")
    assert response.content == b"body"


@pytest.mark.django_db(transaction=True)
def test_head_over_real_http(live_server):
    """Through a real server (the test client drops HEAD bodies itself): no body, the
    GET's length."""
    for path in ("/", "/api/oparl/v1/system", "/api/openapi.json"):
        url = live_server.url + path
        with urllib.request.urlopen(urllib.request.Request(url, method="GET")) as got:
            length = len(got.read())
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD")) as head:
            assert head.status == 200
            assert head.read() == b""
            assert head.headers["Content-Length"] == str(length)
