from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "quartier.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, registry

        registry.add_nav(NavItem("alerts:list", _("Alerts"), order=25))
