"""Test guards and shared fixtures.

Guards (house style): templates fail on unknown variables (--fail-on-template-vars in
pyproject), warnings are errors (naive datetimes included), and a test fails when anything is
logged at ERROR unless it is marked `allow_error_log`.
"""

from __future__ import annotations

import copy
import logging
import os

import hypothesis
import pytest
from django.conf import settings

from tests.world import World, build_world

# CI runs Hypothesis derandomised: the examples follow from each test's source alone, so a
# failure in CI fails the same way on every rerun and on a developer's machine
# (HYPOTHESIS_PROFILE=ci). Locally the "dev" profile explores new examples on each run.
# Neither times anything: no deadline per example and no "too slow" health check, which fail
# on a loaded machine for reasons that are not the code's (timed assertions are not allowed).
_UNTIMED = {"deadline": None, "suppress_health_check": [hypothesis.HealthCheck.too_slow]}
hypothesis.settings.register_profile(
    "ci", derandomize=True, database=None, print_blob=True, **_UNTIMED
)
hypothesis.settings.register_profile("dev", **_UNTIMED)
hypothesis.settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_error_log: the test expects an ERROR log record")
    # Plain static storage: tests do not run collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # "__Host-" names need Secure cookies, which the browser tests' plain-HTTP server lacks.
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"
    _verified_force_login()
    _scan_static_files_once()
    # The page cache outlives a test's rolled-back data: off, but in its own tests.
    settings.QUARTIER_PAGE_CACHE_SECONDS = 0


def _verified_force_login() -> None:
    """`client.force_login(user)` logs in with the second factor done, as a login through the
    pages would end (accounts/twofactor.py): staff and admins get a test TOTP device, and the
    session holds it the way django_otp.login leaves it. The production code is unchanged:
    OTPMiddleware checks that device on every request as it does for any session. Tests of
    the second factor itself log in through the pages or remove the device from the session
    (tests/accounts/test_two_factor.py)."""
    from django.test import Client

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY

        from quartier.accounts import twofactor
        from quartier.accounts.rules import forget_scope

        required = twofactor.requires_second_factor(user)
        forget_scope(user)  # the test may change the user's roles afterwards
        if required:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="test device", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    Client._login = _login


def _scan_static_files_once() -> None:
    """WhiteNoise (WHITENOISE_USE_FINDERS above) lists and stats every static file whenever its
    middleware is built, and Django builds the middleware once per test `Client`: about 12 ms
    of CPU per Client, thousands of Clients per run (docs/testing.md, "Suite time"). The scan
    depends only on the files (unchanged during a run) and on the settings in `key`, so its
    result is kept per key and copied into each later middleware; the middleware's own code
    (production's) still serves every request."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    scans: dict[str, dict] = {}

    def add_files_from_finders(self) -> None:
        key = repr(
            (
                self.static_prefix,
                self.max_age,
                self.allow_all_origins,
                self.charset,
                self.index_file,
                self.add_headers_function,
                self.media_types.types_map,
                *(
                    getattr(settings, name, None)
                    for name in (
                        "STATIC_URL",
                        "STATICFILES_DIRS",
                        "STATICFILES_FINDERS",
                        "INSTALLED_APPS",
                        "STORAGES",
                        "WHITENOISE_IMMUTABLE_FILE_TEST",
                    )
                ),
            )
        )
        if key not in scans:
            before = dict(self.files)
            original(self)
            scans[key] = {u: f for u, f in self.files.items() if before.get(u) is not f}
        self.files.update(scans[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


# Modules whose database tests all use the world share one world per module (`_module_world`);
# a module with a test that commits for real (transactional_db, live_server, ...) or with a
# database test that does not ask for the world (it may count on an empty database) builds
# the world per test, as before.
_COMMITTING_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
_PER_TEST_WORLD_MODULES: set[str] = set()


def _commits(item: pytest.Item) -> bool:
    if _COMMITTING_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(
        marker
        and (
            marker.kwargs.get("transaction")
            or marker.kwargs.get("reset_sequences")
            or marker.kwargs.get("serialized_rollback")
        )
    )


def _uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or names & {"db", *_COMMITTING_FIXTURES})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` run in the PostgreSQL run (make test-postgres) only."""
    for item in items:
        module = getattr(item, "module", None)
        if module is None or not _uses_database(item):
            continue
        if _commits(item) or "world" not in getattr(item, "fixturenames", ()):
            _PER_TEST_WORLD_MODULES.add(module.__name__)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL run of make test")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fail_on_error_log(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("allow_error_log"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        pytest.fail("ERROR logged during the test: " + "; ".join(r.getMessage() for r in errors))


@pytest.fixture(autouse=True)
def _german(settings) -> None:
    settings.LANGUAGE_CODE = "de"


@pytest.fixture(scope="module")
def _module_world(request: pytest.FixtureRequest, django_db_setup, django_db_blocker):
    """One world per test module, as Django's setUpTestData builds class data once: built
    inside a transaction that stays open for the module and is rolled back at its end; each
    test runs in a savepoint of its own (pytest-django's `db`), so what a test writes is gone
    for the next. Building the world for each of some 700 tests cost minutes per run
    (docs/testing.md, "Suite time"). Other modules get None: see _PER_TEST_WORLD_MODULES."""
    if request.module.__name__ in _PER_TEST_WORLD_MODULES:
        yield None
        return
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db) -> World:
    """A small region with one user per role (see tests/world.py). Each test gets its own
    copy of the module's world objects, so changing them in memory does not leak either."""
    if _module_world is None:
        return build_world()
    return copy.deepcopy(_module_world)
