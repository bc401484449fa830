"""A cache of rendered public answers (Open311 `requests` in api, the concerns map's GeoJSON
in concerns), with ETags and conditional GET. It lives in core so that every app may use it
(concerns may not import api, see the app order in README.md); it was api/cache.py.

Which answers: GET (and HEAD, which core's middleware turns into GET) of public data only,
status 200, no cookie set. The key holds every part of the request that the answer depends
on: the route's name, the content generation (core/pagecache.py), the language, scheme, host,
path and the exact query string (so every parameter, in the order given: the next link
repeats it). What is kept is the body and the headers the view set; the middleware adds the
rest to every answer alike, so an answer from the cache is byte for byte the one the view
would give.

Freshness: the content generation is read from the database on every request (one query by
primary key), never from a per-process copy, so an answer is never older than the last
committed write that retired it. Every model these answers show is registered with
`registry.add_page_models` (concerns, their public notes and categories in ApiConfig;
areas, bodies and organisations by their own apps): a save or delete raises the generation
when its transaction commits. Writes without signals (`QuerySet.update`) call
`pagecache.bump_after_commit()` themselves (concerns/services.py).

ETag: a digest of the body and the headers the view set (`X-Total-Count`, `Link`), fresh or
from the cache; `If-None-Match` with it answers 304 without a body. `Cache-Control: no-cache`
lets clients and proxies keep an answer but ask each time.

Where: the Django cache named by QUARTIER_API_CACHE (e.g. a Redis cache shared by several app
servers), else a cache in each process bounded by QUARTIER_API_CACHE_BYTES (default 64 MiB;
the least recently used answers go first). An answer over QUARTIER_API_CACHE_MAX_BYTES
(default 1 MiB) is not kept. QUARTIER_API_CACHE_SECONDS (default: the page cache's
QUARTIER_PAGE_CACHE_SECONDS) is how long an entry may live; 0 turns the cache off (ETags and
304 stay).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from quartier.core import pagecache

# What is kept of an answer: its body, the headers the view set, its ETag.
Entry = tuple[bytes, dict[str, str], str]


def seconds() -> int:
    default = getattr(settings, "QUARTIER_PAGE_CACHE_SECONDS", 60)
    return int(getattr(settings, "QUARTIER_API_CACHE_SECONDS", default))


class _Bounded:
    """An in-process cache of answers bounded by their total size (least recently used go
    first). One per process; gunicorn's sync workers serve one request at a time, the lock is
    for threaded servers."""

    def __init__(self) -> None:
        # key: (expires at (time.monotonic()), (body, headers, etag))
        self.entries: OrderedDict[str, tuple[float, Entry]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            expires, entry = found
            if expires < time.monotonic():
                del self.entries[key]
                self.size -= len(entry[0])
                return None
            self.entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: Entry, timeout: int) -> None:
        budget = int(getattr(settings, "QUARTIER_API_CACHE_BYTES", 64 * 1024 * 1024))
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[1][0])
            self.entries[key] = (time.monotonic() + timeout, entry)
            self.size += len(entry[0])
            while self.size > budget and self.entries:
                _key, (_expires, (content, _headers, _etag)) = self.entries.popitem(last=False)
                self.size -= len(content)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local = _Bounded()


def _store() -> Any:
    alias = getattr(settings, "QUARTIER_API_CACHE", "")
    return caches[alias] if alias else local


def etag_of(content: bytes, headers: dict[str, str]) -> str:
    """A strong ETag of the answer: its body and the headers the view set."""
    digest = hashlib.sha256(content)
    for name, value in sorted(headers.items()):
        digest.update(f"\n{name}: {value}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def _finish(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return get_conditional_response(request, etag=etag, response=response) or response


def cached(request: HttpRequest, name: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The answer of `render()` for this request, from the cache when the content generation
    has not moved since it was rendered (see the module)."""
    if request.method not in ("GET", "HEAD"):
        return render()
    keep = seconds()
    generation = pagecache.generation() if keep else None
    if generation is None:
        response = render()
        if response.status_code != 200 or response.streaming:
            return response
        return _finish(request, response, etag_of(response.content, dict(response.items())))
    key = pagecache.request_key(f"api:{name}", request, generation)
    store = _store()
    entry = store.get(key)
    if entry is not None:
        content, headers, etag = entry
        response = HttpResponse(content)
        for header, value in headers.items():
            response[header] = value
        return _finish(request, response, etag)
    response = render()
    if response.status_code != 200 or response.streaming or response.cookies:
        return response
    headers = dict(response.items())
    etag = etag_of(response.content, headers)
    limit = int(getattr(settings, "QUARTIER_API_CACHE_MAX_BYTES", 1024 * 1024))
    if len(response.content) <= limit:
        store.set(key, (response.content, headers, etag), keep)
    return _finish(request, response, etag)
