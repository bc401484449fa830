"""Document files under MEDIA_URL (registered with quartier.core.media).

The same rule as `views.public.document_download`: public documents of public bodies for
everyone, the rest for those who take part in the body.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from quartier.core.media import MediaAccess
from quartier.networks.models import DocumentVersion


def check(request: HttpRequest, name: str) -> MediaAccess | HttpResponse | None:
    version = DocumentVersion.objects.select_related("document__body").filter(file=name).first()
    if version is None:
        return None
    document = version.document
    if document.is_public and document.body.is_public:
        return MediaAccess(public=True, filename=version.file_name)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("networks.take_part_body", document.body):
        raise PermissionDenied
    return MediaAccess(public=False, filename=version.file_name)
