"""Uploaded media in production: every file under MEDIA_URL goes through this view.

Apps register which upload folder they own and a check that finds the row behind a file and
decides who may read it (`register_media(prefix, check)` in `AppConfig.ready()`); core never
imports them. A file no registered row points at is a 404, whatever lies on the disk, so an
orphaned upload or a file of another kind is never served. Path traversal (`..`, absolute
paths, backslashes, NUL) is a 404 before the disk is touched.

The bytes are sent by the app (`QUARTIER_MEDIA_ACCEL = "off"`), or, after the check, by the
reverse proxy: `"nginx"` answers with `X-Accel-Redirect: <QUARTIER_MEDIA_ACCEL_PREFIX><path>`
(an `internal` location aliased to MEDIA_ROOT), `"apache"` with `X-Sendfile: <absolute path>`
(mod_xsendfile). See docs/operations.md.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

# Images a browser may show inline; everything else is sent as a download in a sandbox.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


@dataclass(frozen=True)
class MediaAccess:
    """The check's answer when the file may be read. `public`: anyone may (shared caches may
    keep it); `filename`: the name offered for a download."""

    public: bool
    filename: str | None = None


# A check gets the request and the file name relative to MEDIA_ROOT (as stored in the
# FileField). It returns MediaAccess, an HttpResponse (a login redirect), or None (not ours /
# no such row: 404); it may raise PermissionDenied or Http404.
MediaCheck = Callable[[HttpRequest, str], "MediaAccess | HttpResponse | None"]

_checks: list[tuple[str, MediaCheck]] = []


def register_media(prefix: str, check: MediaCheck) -> None:
    """Claim the upload folder `prefix` (like "events/") for `check`."""
    if not prefix.endswith("/"):
        raise ValueError("A media prefix names a folder and ends with '/'.")
    if all(existing != prefix for existing, _ in _checks):
        _checks.append((prefix, check))


def clean_name(path: str) -> str | None:
    """The stored file name for a URL path, or None when it tries to leave MEDIA_ROOT."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    normalised = posixpath.normpath(path)
    return normalised if normalised == path else None


def _file_path(name: str) -> Path | None:
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = (root / name).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not full.is_relative_to(root) or not full.is_file():
        return None  # a symlink out of MEDIA_ROOT, or a folder
    return full


@require_GET
def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    name = clean_name(path)
    if name is None:
        raise Http404
    check = next((check for prefix, check in _checks if name.startswith(prefix)), None)
    if check is None:
        raise Http404
    access = check(request, name)
    if access is None:
        raise Http404
    if isinstance(access, HttpResponse):
        return access
    full = _file_path(name)
    if full is None:
        raise Http404  # the row exists, its file does not: a 404, never a 500
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    mode = settings.QUARTIER_MEDIA_ACCEL
    if mode == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(settings.QUARTIER_MEDIA_ACCEL_PREFIX + name)
    elif mode == "apache":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = str(full)
    else:
        response = FileResponse(full.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        not inline, access.filename or full.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not inline:
        # An uploaded HTML or SVG file must not run on our origin.
        response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "public, max-age=3600" if access.public else "private, no-store"
    return response
