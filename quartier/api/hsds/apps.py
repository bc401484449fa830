from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HsdsConfig(AppConfig):
    name = "quartier.api.hsds"
    label = "hsds"
    verbose_name = _("HSDS exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from quartier.api.hsds import signals

        signals.connect()
