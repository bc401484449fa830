"""One place where views check permissions (django-rules underneath)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def check(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless the user has `perm` (on `obj`)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def permission_required(
    perm: str, *, obj: Callable[..., Any] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: anonymous users go to the login page, others without `perm` get 403.

    `obj(request, **kwargs)` fetches the object to check against (and may raise Http404);
    the object is passed to the view as `obj`.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            target = obj(request, **kwargs) if obj is not None else None
            check(request, perm, target)
            if obj is not None:
                kwargs["obj"] = target
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
