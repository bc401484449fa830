"""Helpers for views that serve both full pages and htmx fragments."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    partial: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """Render `partial` for an htmx request (unless it targets the whole body), else `template`.

    The full template includes the partial, so both paths show the same markup.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)
