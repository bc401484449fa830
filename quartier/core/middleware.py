"""Request guards that run before any view."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
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
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            return JsonResponse({"message": message}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
