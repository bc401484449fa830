"""A cache of public pages for anonymous visitors (the offer page, an area's start page).

Who gets a cached page: GET requests without a query string and without a session, messages
or any other cookie than the CSRF and language cookies, so never a logged-in user, never a
page with a notice for one visitor and never the easy-language version. Which responses are
kept: 200s that set no cookie, changed no session, asked for no CSRF token by code and say
nothing against caching; per language, host and path, in the "pages" cache (settings.CACHES;
each process its own with the local-memory cache), for QUARTIER_PAGE_CACHE_SECONDS (0 turns
the cache off). Every page here is marked `Cache-Control: private`: it holds the visitor's
CSRF token, so no shared proxy may keep it.

CSRF: while a page is rendered for the cache, `{% csrf_token %}` and `{{ csrf_token }}` print
a placeholder derived from SECRET_KEY (the context processor below; nobody outside can put it
into content), and each response, fresh or cached, gets the visitor's own token in its place,
so the page's forms (the language switch) keep working.

Freshness: every cache key holds the content generation, one number in the database that a
saved or deleted row of the models these pages show raises after its transaction commits
(`bump`); apps name those models in their AppConfig.ready with
`registry.add_page_models(...)` (core/registry.py). Each process reads it at most once a
second, so an edit shows at once in the process that made it and within a second in the
others. Bulk writes that send no signals (the HSDS import, the demo) call `bump` themselves;
anything else that changes rows without signals shows after at most
QUARTIER_PAGE_CACHE_SECONDS, as do pages whose content
depends on the clock ("open now", today's dates).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac

_PENDING = "_quartier_page_cache"  # request attribute: this render is for the cache
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")
TABLE = "core_pagegeneration"


def placeholder() -> str:
    """What stands for the CSRF token in a stored page: letters and digits only (it passes
    any escaping unchanged), unknowable without SECRET_KEY."""
    return salted_hmac("quartier.core.pagecache", "csrf-placeholder").hexdigest()


def generation() -> int | None:
    """The current content generation (None if its row or table is missing, as before
    `migrate`: then nothing is cached)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")  # noqa: S608 (constant)
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else None


# The generation as this process last read it, and when (time.monotonic()). Read at most
# once a GENERATION_SECONDS per process: a page served from the cache then costs no query.
_seen: tuple[int | None, float] = (None, -math.inf)
GENERATION_SECONDS = 1.0


def current_generation() -> int | None:
    """generation(), read again when this process's copy is older than GENERATION_SECONDS
    (or this process raised it since)."""
    global _seen
    value, read_at = _seen
    now = time.monotonic()
    if now - read_at >= GENERATION_SECONDS:
        value = generation()
        _seen = (value, now)
    return value


def forget_generation() -> None:
    """Read the generation afresh on the next request (after this process raised it)."""
    global _seen
    _seen = (None, -math.inf)


def bump() -> None:
    """Raise the content generation now: every cached page is out of date (in this process
    at once, in the others within GENERATION_SECONDS)."""
    forget_generation()
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
    bump_after_commit()


def watch(model: type[Model]) -> None:
    """Retire the cached pages when a row of `model` (or one of its many-to-many tables)
    changes. Called by `registry.add_page_models`; only the registered models, so that writes
    elsewhere (tasks, subscriptions, sessions) neither retire the pages nor lose Django's fast
    path for deleting rows."""
    uid = f"pagecache-{model._meta.label}"
    post_save.connect(_on_change, sender=model, dispatch_uid=uid)
    post_delete.connect(_on_change, sender=model, dispatch_uid=uid)
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"{uid}-{field.name}")


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor (after Django's own): the placeholder instead of the visitor's
    token while a page is rendered for the cache."""
    return {"csrf_token": placeholder()} if getattr(request, _PENDING, False) else {}


def _eligible(request: HttpRequest) -> bool:
    # No query string: nobody can fill the cache with endless variants of one page.
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return set(request.COOKIES) <= harmless


def request_key(prefix: str, request: HttpRequest, generation: int) -> str:
    """The cache key of what `request` is answered with while the content generation stands:
    the language, and the scheme, host, path and exact query string (pages here, answers in
    core/answercache.py)."""
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    address = (
        f"{request.scheme}://{request.get_host()}{request.path}"
        f"?{request.META.get('QUERY_STRING', '')}"
    )
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{prefix}:{generation}:{language}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # code asked for a real token
        and not (session is not None and session.modified)
        and not getattr(messages, "added_new", False)
        and not any(word in control for word in ("private", "no-store", "no-cache"))
    )


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The visitor's own CSRF token in place of the placeholder; private to this visitor."""
    marker = placeholder().encode()
    if marker in response.content:
        response.content = response.content.replace(marker, get_token(request).encode())
    patch_cache_control(response, private=True)
    return response


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page to anonymous visitors from the cache (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.QUARTIER_PAGE_CACHE_SECONDS
        if not seconds or not _eligible(request):
            return view(request, *args, **kwargs)
        current = current_generation()
        if current is None:
            return view(request, *args, **kwargs)
        key = request_key("page", request, current)
        pages = caches["pages"]
        stored = pages.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            patch_vary_headers(response, ("Cookie",))
            response["X-Page-Cache"] = "hit"
            return _finish(request, response)
        setattr(request, _PENDING, True)
        try:
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()  # rendered while the placeholder holds
        finally:
            setattr(request, _PENDING, False)
        if _storable(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            pages.set(key, (response.content, headers), seconds)
            response["X-Page-Cache"] = "miss"
        return _finish(request, response)

    return wrapped
