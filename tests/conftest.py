"""Test guards and shared fixtures.

Guards (house style): templates fail on unknown variables (--fail-on-template-vars in
pyproject), warnings are errors (naive datetimes included), and a test fails when anything is
logged at ERROR unless it is marked `allow_error_log`.
"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from tests.world import World, build_world


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
    # The page cache outlives a test's rolled-back data: off, but in its own tests.
    settings.QUARTIER_PAGE_CACHE_SECONDS = 0


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


@pytest.fixture
def world(db) -> World:
    """A small region with one user per role (see tests/world.py)."""
    return build_world()
