"""HEAD answered as GET, for every route at once (settings: first in MIDDLEWARE).

Uptime monitors, link checkers, caches and the OParl validator probe with HEAD first. Django's
`require_GET` and django-ninja's GET operations refuse it (405), so instead of marking every
view, this middleware hands a HEAD request to the stack as a GET and sends back the GET's
status and headers without the body (RFC 9110, 9.3.2). Being first, every other middleware
(CommonMiddleware's Content-Length included) sees a plain GET; a new route cannot forget HEAD.

A 405 that allows GET also names HEAD in its Allow header.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse


class HeadAsGetMiddleware:
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
