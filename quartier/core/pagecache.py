"""A cache of public pages for anonymous visitors (the offer page, an area's start page).

Who gets a cached page: GET and HEAD requests without a session, messages or any other cookie
than the CSRF and language cookies, so never a logged-in user, never a page with a notice for
one visitor and never the easy-language version. Which responses are kept: 200s that set no
cookie, changed no session, asked for no CSRF token by code and say nothing against caching;
per language, host and full path, in Django's "default" cache (each process its own with
the local-memory cache), for QUARTIER_PAGE_CACHE_SECONDS (0 turns the cache off).

CSRF: while a page is rendered for the cache, `{% csrf_token %}` and `{{ csrf_token }}` print
a placeholder (the context processor below), and each response, fresh or cached, gets the
visitor's own token in its place, so the page's forms (the language switch) keep working.

Freshness: every cache key holds the content generation, one number in the database that any
saved or deleted row of our apps raises after its transaction commits (`bump`). Bulk writes
that send no signals (the HSDS import, the demo) call `bump` themselves; anything else that
changes rows without signals shows after at most QUARTIER_PAGE_CACHE_SECONDS, as do pages
whose content depends on the clock ("open now", today's dates).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

PLACEHOLDER = "quartier-page-cache-csrf-token"
_PENDING = "_quartier_page_cache"  # request attribute: this render is for the cache
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control")
TABLE = "core_pagegeneration"
# Apps whose rows never appear on a public page (and the generation's own table).
IGNORED_APPS = {"core", "search", "sessions", "admin", "auth", "contenttypes"}


def generation() -> int | None:
    """The current content generation (None if its row is missing: then nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")  # noqa: S608 (constant)
        row = cursor.fetchone()
    return row[0] if row else None


def bump() -> None:
    """Raise the content generation now: every cached page is out of date."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")  # noqa: S608
    except DatabaseError:
        if TABLE in connection.introspection.table_names():
            raise
        # During `migrate`, before the table exists: there is no cached page yet.


def bump_after_commit() -> None:
    """Raise the generation once the current transaction commits (once per transaction; at
    once outside one). Nothing happens if it rolls back."""
    db = transaction.get_connection()
    if any(callback is bump for _ids, callback, _robust in db.run_on_commit):
        return
    # robust: a failure is logged and does not turn the committed change into an error.
    transaction.on_commit(bump, robust=True)


def _on_change(sender: Any, **kwargs: Any) -> None:
    # Models of migrations ("__fake__") write before the generation's table may exist.
    if sender._meta.app_label not in IGNORED_APPS and sender.__module__ != "__fake__":
        bump_after_commit()


def connect_signals() -> None:
    """Called once from CoreConfig.ready."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"pagecache-{id(signal)}")


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor (after Django's own): the placeholder instead of the visitor's
    token while a page is rendered for the cache."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, _PENDING, False) else {}


def _eligible(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return set(request.COOKIES) <= harmless


def _key(request: HttpRequest, generation: int) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{generation}:{language}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a token outside the layout
        and not (session is not None and session.modified)
        and not getattr(messages, "added_new", False)
        and not any(word in control for word in ("private", "no-store", "no-cache"))
    )


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    marker = PLACEHOLDER.encode()
    if marker in response.content:
        response.content = response.content.replace(marker, get_token(request).encode())
    return response


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page to anonymous visitors from the cache (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.QUARTIER_PAGE_CACHE_SECONDS
        if not seconds or not _eligible(request):
            return view(request, *args, **kwargs)
        current = generation()
        if current is None:
            return view(request, *args, **kwargs)
        key = _key(request, current)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            patch_vary_headers(response, ("Cookie",))
            response["X-Page-Cache"] = "hit"
            return _with_token(request, response)
        setattr(request, _PENDING, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            setattr(request, _PENDING, False)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _storable(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache.set(key, (response.content, headers), seconds)
            response["X-Page-Cache"] = "miss"
        return _with_token(request, response)

    return wrapped
