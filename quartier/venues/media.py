"""Room photos under MEDIA_URL (registered with quartier.core.media)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from quartier.core.media import MediaAccess
from quartier.venues.models import RoomPhoto


def check(request: HttpRequest, name: str) -> MediaAccess | HttpResponse | None:
    photo = RoomPhoto.objects.select_related("room__venue").filter(image=name).first()
    if photo is None:
        return None
    room = photo.room
    if room.is_active and room.venue.is_active:
        return MediaAccess(public=True)
    # A room taken off the public pages: its photos only for the venue's managers.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("venues.change_room", room):
        raise PermissionDenied
    return MediaAccess(public=False)
