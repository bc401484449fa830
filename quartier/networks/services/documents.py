"""Documents with versions (OParl Paper and File)."""

from __future__ import annotations

import hashlib
import mimetypes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from quartier.networks.models import Body, Document, DocumentVersion, Visibility

ALLOWED_TYPES = {
    "application/pdf",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "text/plain",
    "image/png",
    "image/jpeg",
}


def _check_file(file: UploadedFile) -> str:
    if file.size > settings.QUARTIER_MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": settings.QUARTIER_MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    mime = mimetypes.guess_type(file.name or "")[0] or ""
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": _("Upload a PDF, an office text document, a text file or an image.")}
        )
    return mime


@transaction.atomic
def document_add(
    *,
    body: Body,
    title: str,
    kind: str,
    file: UploadedFile,
    user,
    visibility: str = Visibility.MEMBERS,
    date=None,
    description: str = "",
    meeting=None,
    agenda_item=None,
) -> Document:
    document = Document.objects.create(
        body=body,
        title=title,
        kind=kind,
        visibility=visibility,
        date=date,
        description=description,
        meeting=meeting,
        agenda_item=agenda_item,
        created_by=user,
    )
    document_add_version(document=document, file=file, user=user)
    return document


@transaction.atomic
def document_add_version(
    *, document: Document, file: UploadedFile, user, note: str = ""
) -> DocumentVersion:
    mime = _check_file(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        file_name=(file.name or "document")[:255],
        mime_type=mime,
        size=file.size or 0,
        sha256=digest.hexdigest(),
        note=note[:300],
        uploaded_by=user,
    )
    version.file.save(file.name or "document", file, save=False)
    version.save()
    document.save(update_fields=["updated_at"])
    return version
