"""The role matrix: every route, every role, the expected HTTP status.

Each app lists its routes in `tests/<app>/routes.py` as `ROUTES = [Route(...), ...]`.
`tests/core/test_role_matrix.py` checks that every named URL of the project (HTML views and API
operations) appears in some ROUTES list, then requests each route as each role and compares the
status. A route that is missing from the matrix fails the suite: a new view cannot ship without
saying who may use it.

Statuses: 200/201/204 allowed, 302 redirected (to the login page for anonymous users), 403
forbidden, 404 hidden (objects outside the user's scope may answer 404), 405 method not allowed.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "resident", "editor", "coordinator", "planner", "admin")

# URL names that are not ours to test role by role (Django's own admin is covered by one test
# of its own; set_language is public by design).
EXEMPT_PREFIXES = ("admin:",)
# api-root is django-ninja's fallback at /api/, shadowed by our own index operation.
EXEMPT_NAMES = {"set_language", "api:api-root"}


@dataclass
class Route:
    name: str
    expect: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    query: str = ""
    # For write routes: rebuild the world per role, so one role's write does not affect the next.
    content_type: str | None = None

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"Route {self.name}: no expectation for {sorted(missing)}")


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(allowed: set[str], *, ok: int = 200, denied: int = 403, anonymous: int = 302) -> dict:
    """Allowed roles get `ok`; others `denied`; anonymous users `anonymous` (login redirect)."""
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
