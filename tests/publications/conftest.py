import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_throttle():
    caches["shared"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.QUARTIER_NEWSLETTER_RETRY_SECONDS = 0
