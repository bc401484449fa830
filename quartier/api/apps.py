from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "quartier.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from quartier.concerns.models import Category, Concern, Update
        from quartier.core.registry import registry

        # The cached answers of Open311 and the concerns map (core/answercache.py) show concerns,
        # their public notes and categories: a change retires them (and the cached pages).
        registry.add_page_models(Concern, Update, Category)
