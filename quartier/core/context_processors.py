from django.conf import settings
from django.http import HttpRequest

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
    }
