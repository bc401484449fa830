"""Every route against every role (see tests/matrix.py)."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from django.core.cache import caches
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.matrix import EXEMPT_NAMES, EXEMPT_PREFIXES, ROLES, Route
from tests.world import build_world


def _all_routes() -> list[Route]:
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


def _url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


ALL_ROUTES = _all_routes()


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """One world for the whole matrix (per xdist worker), built once inside a transaction that
    is rolled back at the end; each test runs in a savepoint of its own, so a route that writes
    leaves nothing behind for the next. Building the world per test cost minutes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Responses cached by one role's request must not answer the next role's.
    caches["default"].clear()


def test_every_named_route_is_in_the_matrix():
    covered = {route.name for route in ALL_ROUTES}
    names = {
        name
        for name in _url_names()
        if name not in EXEMPT_NAMES and not name.startswith(EXEMPT_PREFIXES)
    }
    missing = sorted(names - covered)
    assert not missing, (
        f"Routes without a role-matrix entry (add them to tests/<app>/routes.py): {missing}"
    )
    unknown = sorted(covered - names)
    assert not unknown, f"Matrix entries for routes that do not exist: {unknown}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "role"),
    [
        pytest.param(route, role, id=f"{route.method}:{route.name}:{role}")
        for route in ALL_ROUTES
        for role in ROLES
    ],
)
def test_role_matrix(route: Route, role: str, matrix_world):
    world = matrix_world
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    client = world.client(role)
    method = getattr(client, route.method)
    if route.data is not None:
        data = route.data(world)
        if route.content_type == "application/json":
            response = method(url, data=json.dumps(data), content_type="application/json")
        else:
            response = method(url, data=data)
    else:
        response = method(url)
    assert response.status_code == route.expect[role], (
        f"{route.method.upper()} {url} as {role}: expected {route.expect[role]}, "
        f"got {response.status_code}"
    )


def test_admin_is_for_platform_admins_only(matrix_world):
    world = matrix_world
    assert world.client("admin").get(reverse("admin:index")).status_code == 200
    for role in ("planner", "coordinator", "editor", "resident"):
        response = world.client(role).get(reverse("admin:index"))
        assert response.status_code == 302, role
