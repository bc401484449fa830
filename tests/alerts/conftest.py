import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_mail_limits():
    """The confirmation-mail counters (quartier.alerts.throttle) live in the process's cache;
    each test starts without them."""
    cache.clear()
    yield
    cache.clear()
