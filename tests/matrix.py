"""The role matrix: every route, every role, the expected HTTP status.

Each app lists its routes in `tests/<app>/routes.py` as `ROUTES = [Route(...), ...]`.
`tests/core/test_role_matrix.py` checks that every URL pattern of the project (HTML views and
API operations, named or not) appears in some ROUTES list and that every HTTP method a view
accepts is listed (an unlisted method must answer 405, or answer exactly as GET does and change
nothing), then requests each route as each role and compares the status. A route that is
missing from the matrix fails the suite: a new view cannot ship without saying who may use it.

Statuses: 200/201/204 allowed, LOGIN (anonymous users sent to the login page: checked to go
there), 302 redirected elsewhere (checked not to be the login page), 400 bad input, 401 no
login (API), 403 forbidden, 404 hidden (objects outside the user's scope may answer 404), 405
method not allowed, 409 conflict.

Writes (any method but GET) are also checked for their effect on the database: an allowed one
(2xx, or 302 elsewhere than the login page) must change a row, unless the Route says
`changes=False` (it only touches the session or a cookie); every other answer must leave every
row as it was (tests/dbstate.py).

    Route("backoffice:things:edit", only({"editor", "admin"}), kwargs=lambda w: {"pk": w.thing.pk})
    Route("things:vote", everyone(302), method="post", data=lambda w: {"choice": "1"})
    Route("/unnamed/path/", everyone())   # a pattern without a name: give its path
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

ROLES = ("anonymous", "resident", "editor", "coordinator", "planner", "admin")
# Anonymous users redirected to the login page (302 with Location: the login URL).
LOGIN = "login"
SUCCESS = {200, 201, 204, 302}

# URL names that are not ours to test role by role (Django's own admin is covered by one test
# of its own; set_language is public by design).
EXEMPT_PREFIXES = ("admin:",)
# api-root is django-ninja's fallback at /api/, shadowed by our own index operation.
EXEMPT_NAMES = {"set_language", "api:api-root"}


@dataclass
class Route:
    """`name`: the URL name (or, for a pattern without a name, its path starting with "/")."""

    name: str
    expect: dict[str, int | str]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    query: str = ""
    content_type: str | None = None
    # A write whose allowed requests change no row (they only touch the session or a cookie).
    changes: bool = True

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"Route {self.name}: no expectation for {sorted(missing)}")

    def url(self, world: Any) -> str:
        path = (
            self.name
            if self.name.startswith("/")
            else reverse(self.name, kwargs=self.kwargs(world))
        )
        return path + self.query

    @property
    def writes(self) -> bool:
        return self.method != "get"


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(
    allowed: set[str], *, ok: int = 200, denied: int = 403, anonymous: int | str = LOGIN
) -> dict:
    """Allowed roles get `ok`; others `denied`; anonymous users `anonymous` (the login page)."""
    result = {}
    for role in ROLES:
        if role in allowed:
            result[role] = ok
        elif role == "anonymous":
            result[role] = anonymous
        else:
            result[role] = denied
    return result


STAFF = {"editor", "coordinator", "planner", "admin"}
LOGGED_IN = {"resident", *STAFF}


def all_routes() -> list[Route]:
    """Every app's ROUTES (tests/<app>/routes.py), in the apps' alphabetical order."""
    import tests

    routes: list[Route] = []
    for info in sorted(pkgutil.iter_modules(tests.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.routes")
        except ModuleNotFoundError as exc:
            if exc.name == f"tests.{info.name}.routes":
                continue
            raise
        routes.extend(module.ROUTES)
    return routes
