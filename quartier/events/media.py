"""Event images under MEDIA_URL (registered with quartier.core.media)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from quartier.core.media import MediaAccess
from quartier.events.models import Event


def check(request: HttpRequest, name: str) -> MediaAccess | HttpResponse | None:
    event = Event.objects.filter(image=name).first()
    if event is None:
        return None
    if event.is_published:
        return MediaAccess(public=True)
    # A draft's image: only for those who may see the draft.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("events.change_event", event):
        raise PermissionDenied
    return MediaAccess(public=False)
