import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_mail_limits():
    """The confirmation-mail counters (quartier.alerts.throttle) live in the process's cache;
    each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _roomy_form_throttle(settings):
    """The one project-wide throttle (core/throttle.py) also counts the alert form; these tests
    exercise the alerts' own mail limits behind it (tests/core/test_anonymous_writes.py covers
    the form's scope)."""
    settings.QUARTIER_THROTTLE_RATES = {"alerts.create": [[1000, 60]]}
