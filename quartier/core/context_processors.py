import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from quartier.core.registry import registry


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    nav = [
        item
        for item in registry.nav
        if not item.backoffice and (item.visible is None or item.visible(user))
    ]
    backoffice_nav = [
        item
        for item in registry.nav
        if item.backoffice
        and user is not None
        and user.is_authenticated
        and (item.visible is None or item.visible(user))
    ]
    return {
        "site_url": settings.SITE_URL,
        "main_nav": nav,
        "backoffice_nav": backoffice_nav,
        "self_registration": settings.QUARTIER_SELF_REGISTRATION,
        "map_tiles_config": map_tiles_config(),
    }


def map_tiles_config() -> str:
    """QUARTIER_MAP_TILES and the consent notice's texts for js/map-tiles.js (core/maps.py)."""
    tiles = settings.QUARTIER_MAP_TILES
    return json.dumps(
        {
            "url": tiles["url"],
            "attribution": tiles["attribution"],
            "max_zoom": tiles["max_zoom"],
            "consent": tiles["consent"],
            "notice": _(
                "The map background comes from %(host)s. Loading it sends your IP address to "
                "that server. Without it, the map shows its markers on a plain background; the "
                "list names every place."
            )
            % {"host": tiles["host"]},
            "load": _("Load map"),
            "withdraw": _("Do not load maps"),
            "privacy": _("Privacy policy"),
            "privacy_url": reverse("core:privacy_policy"),
        },
        ensure_ascii=False,
    )
