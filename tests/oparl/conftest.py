from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from quartier.networks.models import DocumentVersion
from tests.oparl.scene import Scene

CONTENT = b"%PDF-1.4 test"


@pytest.fixture
def scene(world, settings, tmp_path) -> Scene:
    """The world's OParl scene, with its files written to a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path
    for version in DocumentVersion.objects.all():
        default_storage.save(version.file.name, ContentFile(CONTENT))
    return world.oparl


def oparl_url(name: str, **kwargs) -> str:
    return reverse(f"api:oparl_{name}", kwargs=kwargs or None)
