"""Photos of concerns: checked, re-encoded as JPEG and stripped of every metadata block.

A phone photo carries EXIF data (the place it was taken, the phone, the time); re-encoding
only the pixels drops all of it. The orientation is applied first, so the photo still stands
upright. Anything Pillow cannot read as an image is refused with a message people understand.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PIXELS = 40_000_000  # a 50-megapixel bomb is refused before it is decoded
MAX_EDGE = 2048  # stored photos are at most this wide or high


def max_bytes() -> int:
    return settings.QUARTIER_CONCERNS_MAX_PHOTO_BYTES


def reencode(upload) -> tuple[ContentFile, int, int]:
    """A clean JPEG of `upload` with its width and height, or ValidationError."""
    name = getattr(upload, "name", "") or _("photo")
    if upload.size > max_bytes():
        raise ValidationError(
            _("The photo %(name)s is larger than %(mb)s MB. Please send a smaller one.")
            % {"name": name, "mb": max_bytes() // (1024 * 1024)},
            code="too_large",
        )
    not_image = ValidationError(
        _("%(name)s is not a photo we can read. Please send a JPEG, PNG or WebP image.")
        % {"name": name},
        code="not_image",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ALLOWED_FORMATS:
                raise not_image
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo %(name)s has too many pixels.") % {"name": name},
                    code="too_large",
                )
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_EDGE, MAX_EDGE))
            out = io.BytesIO()
            # No exif=, no icc_profile=: nothing of the original's metadata is written.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise not_image from exc
    return ContentFile(out.getvalue(), name="photo.jpg"), image.width, image.height
