"""Photo limits and the daily maintenance command."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from quartier.venues.validators import validate_image_size


def test_photos_above_the_limit_are_refused(settings):
    settings.VENUES_MAX_PHOTO_BYTES = 10
    with pytest.raises(ValidationError, match="zu groß"):
        validate_image_size(SimpleUploadedFile("saal.jpg", b"x" * 11))
    validate_image_size(SimpleUploadedFile("saal.jpg", b"x" * 10))


@pytest.mark.django_db
def test_maintenance_command_runs(capsys):
    call_command("venues_maintenance")
    assert "0 series extended" in capsys.readouterr().out
