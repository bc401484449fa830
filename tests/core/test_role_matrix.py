"""Every route against every role (see tests/matrix.py)."""

from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.dbstate import changed, fingerprint
from tests.matrix import EXEMPT_NAMES, EXEMPT_PREFIXES, LOGIN, ROLES, SUCCESS, Route, all_routes
from tests.world import build_world

METHODS = ("get", "post", "put", "patch", "delete")
# Paths of patterns that are not ours to test role by role (Django's own admin has one test of
# its own below).
EXEMPT_PATHS = ("admin/",)


def _patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(full route, name or None) of every URL pattern."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


def _exempt(route: str, name: str | None) -> bool:
    if route.startswith(EXEMPT_PATHS):
        return True
    return name is not None and (name in EXEMPT_NAMES or name.startswith(EXEMPT_PREFIXES))


ALL_ROUTES = all_routes()
PATTERNS = sorted({route for route, name in _patterns() if not _exempt(route, name)})
_ROUTE_OF_NAME = {name: route for route, name in _patterns() if name}


def _pattern_of(route: Route) -> str | None:
    if route.name.startswith("/"):
        return resolve(urlsplit(route.name).path).route
    return _ROUTE_OF_NAME.get(route.name)


BY_PATTERN: dict[str, list[Route]] = defaultdict(list)
for _route in ALL_ROUTES:
    BY_PATTERN[_pattern_of(_route)].append(_route)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """One world for the whole matrix (per xdist worker), built once inside a transaction that
    is rolled back at the end; each test runs in a savepoint of its own, so a route that writes
    leaves nothing behind for the next. Building the world per test cost minutes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            _log_in_once(world)
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _log_in_once(world) -> None:
    """Each role logs in once for the module (its session row lives in the module's
    transaction); `world.client(role)` is then a new Client that carries that session's cookie.
    A test's changes to a session (a logout, a new key) roll back with its savepoint. Logging in
    per test cost about a tenth of each matrix test (docs/testing.md, "Suite time")."""
    sessions = {
        role: world.client(role).cookies[settings.SESSION_COOKIE_NAME].value
        for role in ROLES
        if role != "anonymous"
    }

    def client(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
        return client

    world.client = client


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Responses cached by one role's request must not answer the next role's.
    caches["default"].clear()


def _login_path() -> str:
    return reverse(settings.LOGIN_URL)


def _request(client, method: str, url: str, route: Route | None, world):
    call = getattr(client, method)
    if route is None or route.data is None:
        return call(url)
    data = route.data(world)
    if route.content_type == "application/json":
        return call(url, data=json.dumps(data), content_type="application/json")
    return call(url, data=data)


def test_every_route_is_in_the_matrix():
    named = {name for route, name in _patterns() if name and not _exempt(route, name)}
    covered = {route.name for route in ALL_ROUTES}
    missing = sorted(named - covered)
    assert not missing, (
        f"Routes without a role-matrix entry (add them to tests/<app>/routes.py): {missing}"
    )
    unknown = sorted(route.name for route in ALL_ROUTES if _pattern_of(route) is None)
    assert not unknown, f"Matrix entries for routes that do not exist: {unknown}"
    unnamed = sorted(set(PATTERNS) - set(BY_PATTERN))
    assert not unnamed, (
        f"URL patterns without a role-matrix entry (a pattern without a name: give its path as "
        f"the Route's name): {unnamed}"
    )


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
    url = route.url(world)
    client = world.client(role)
    before = fingerprint() if route.writes else None
    response = _request(client, route.method, url, route, world)
    expected = route.expect[role]
    said = f"{route.method.upper()} {url} as {role}"
    status = 302 if expected == LOGIN else expected
    assert response.status_code == status, (
        f"{said}: expected {expected}, got {response.status_code}"
    )
    if response.status_code == 302:
        to_login = urlsplit(response["Location"]).path == _login_path()
        if expected == LOGIN:
            assert to_login, f"{said}: sent to {response['Location']}, not to the login page"
        elif role == "anonymous":
            assert not to_login, f"{said}: sent to the login page; expect LOGIN (tests/matrix.py)"
    if before is None:
        return
    tables = changed(before, fingerprint())
    if expected in SUCCESS and expected != LOGIN and route.changes:
        assert tables, f"{said}: allowed, but changed nothing (or say changes=False)"
    elif expected not in SUCCESS or expected == LOGIN:
        assert not tables, f"{said}: answered {expected} but changed {tables}"


def _probe_target(routes: list[Route]) -> Route:
    """The route whose URL probes the pattern: a GET the admin may read, if there is one."""
    gets = [r for r in routes if not r.writes]
    readable = [r for r in gets if r.expect["admin"] in (200, 204)]
    return (readable or gets or routes)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_method_a_view_accepts_is_in_the_matrix(pattern: str, matrix_world):
    """An HTTP method not in the matrix must be refused (405), or be answered exactly as GET
    and change nothing (a view that ignores the method): else it is an unlisted write."""
    routes = BY_PATTERN[pattern]
    if not routes:
        pytest.fail(f"{pattern}: no Route in any tests/<app>/routes.py")
    declared = {route.method for route in routes}
    target = _probe_target(routes)
    url = target.url(matrix_world)
    client = matrix_world.client("admin")
    as_get = target.expect["admin"] if not target.writes else None
    for method in METHODS:
        if method in declared:
            continue
        before = fingerprint()
        with transaction.atomic():
            response = _request(client, method, url, None, matrix_world)
            tables = changed(before, fingerprint())
            transaction.set_rollback(True)
        if response.status_code == 405:
            continue
        said = f"{method.upper()} {url} (admin) answered {response.status_code}"
        assert as_get is not None, f"{said}: add this method to tests/<app>/routes.py"
        assert response.status_code == as_get and not tables, (
            f"{said} and changed {tables}; GET answers {as_get}: "
            "list this method in tests/<app>/routes.py or refuse it (require_http_methods)"
        )


def test_admin_is_for_platform_admins_only(matrix_world):
    world = matrix_world
    assert world.client("admin").get(reverse("admin:index")).status_code == 200
    for role in ("planner", "coordinator", "editor", "resident"):
        response = world.client(role).get(reverse("admin:index"))
        assert response.status_code == 302, role
