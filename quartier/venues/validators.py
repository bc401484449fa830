from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_PHOTO_BYTES = 5 * 1024 * 1024


def validate_image_size(file) -> None:
    """Refuse photos above VENUES_MAX_PHOTO_BYTES (default 5 MB): rooms need no print quality."""
    limit = getattr(settings, "VENUES_MAX_PHOTO_BYTES", DEFAULT_MAX_PHOTO_BYTES)
    if file.size > limit:
        raise ValidationError(
            _("The photo is too large (at most %(limit)s).") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
