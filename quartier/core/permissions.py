"""One place where views check permissions: django-rules' own view decorator underneath.

`permission_required(perm, fn=load_thing)` is rules' `permission_required` with two house rules
added: anonymous visitors go to the login page, logged-in users without the permission get 403.
`fn(request, **kwargs)` returns the object the rule is checked against (and may raise Http404);
wrap it in `@loader` and call it again in the view: the second call costs no query, because a
loader remembers its result on the request.

    @permissions.loader
    def load_project(request, pk):
        return get_object_or_404(Project, pk=pk)

    @permission_required("projects.change_project", fn=load_project)
    def project_edit(request, pk):
        project = load_project(request, pk=pk)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rules.contrib.views import permission_required as rules_permission_required

T = TypeVar("T")
View = Callable[..., HttpResponse]


def check(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless the user has `perm` (on `obj`)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def loader(fetch: Callable[..., T]) -> Callable[..., T]:
    """Remember `fetch(request, **kwargs)` on the request, so that the permission decorator and
    the view share one lookup."""

    @wraps(fetch)
    def load(request: HttpRequest, *args: Any, **kwargs: Any) -> T:
        memo: dict[Any, Any] = request.__dict__.setdefault("_quartier_loaded", {})
        key = (fetch, args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = fetch(request, *args, **kwargs)
        return memo[key]

    return load


def permission_required(
    perm: str, *, fn: Callable[..., Any] | None = None
) -> Callable[[View], View]:
    """View decorator: anonymous users go to the login page, others without `perm` get 403."""

    def decorator(view: View) -> View:
        checked = rules_permission_required(perm, fn=fn, raise_exception=True)(view)
        return login_required(wraps(view)(checked))

    return decorator
