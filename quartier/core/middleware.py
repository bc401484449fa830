"""Request handling that runs before any view: HEAD answered as GET, and the NUL guard.

HEAD: uptime monitors, link checkers, caches and the OParl validator probe with HEAD first.
Django's `require_GET` and django-ninja's GET operations refuse it (405), so instead of marking
every view, `HeadAsGetMiddleware` hands a HEAD request to the stack as a GET and sends back the
GET's status and headers without the body (RFC 9110, 9.3.2). Being first, every other
middleware (CommonMiddleware's Content-Length included) sees a plain GET; a new route cannot
forget HEAD. A 405 that allows GET also names HEAD in its Allow header.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _json_has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_json_has_nul(k) or _json_has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_nul(item) for item in value)
    return False


def _query_has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    return any(NUL in key or _has_nul(request.GET.getlist(key)) for key in request.GET)


def _body_has_nul(request: HttpRequest) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    try:
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            # Form fields only: an uploaded file may hold NUL bytes as content.
            return any(NUL in key or _has_nul(request.POST.getlist(key)) for key in request.POST)
        body = request.body
    except (RequestDataTooBig, RawPostDataException, OSError):
        # Too large or unreadable: the view answers that itself (413/400).
        return False
    if b"\x00" in body:
        return True
    if b"\\u0000" in body and "json" in content_type:
        try:
            return _json_has_nul(json.loads(body))
        except ValueError:
            return False
    return False


class NulByteGuardMiddleware:
    """Answer 400 to a request with a NUL character in its path, query parameters, form fields
    or JSON body. PostgreSQL refuses NUL in text, so such input would otherwise end in a server
    error wherever it reaches a query; no legitimate text contains it.

    Cookies are not read here; the answer does not touch the session either (a NUL in the
    session cookie would fail its lookup), so it is a plain response, not the themed page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _query_has_nul(request) or _body_has_nul(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        message = _("The request contains a NUL character, which no field may hold.")
        if request.path.startswith("/api/open311/"):
            # GeoReport v2's own error format: a list of code and description.
            return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            return JsonResponse({"message": message}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class HeadAsGetMiddleware:
    """HEAD as GET without the body (module docstring); first in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return _allow_head(self.get_response(request))
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        response = _allow_head(response)
        if isinstance(response, StreamingHttpResponse):
            # Content-Length (a file's, say) stays as the view set it; nothing is read.
            response.streaming_content = []
        else:
            if not response.has_header("Content-Length") and response.status_code not in (204, 304):
                response.headers["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


def _allow_head(response: HttpResponse) -> HttpResponse:
    if response.status_code == 405 and response.has_header("Allow"):
        allowed = [method.strip() for method in response["Allow"].split(",") if method.strip()]
        if "GET" in allowed and "HEAD" not in allowed:
            allowed.append("HEAD")
            response["Allow"] = ", ".join(allowed)
    return response
