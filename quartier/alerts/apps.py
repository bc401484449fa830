from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "quartier.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, Section, registry

        registry.add_nav(NavItem("alerts:list", _("Alerts"), order=25))
        from quartier.alerts import sections

        registry.add_account_section(
            Section("alerts", "alerts/partials/account_section.html", sections.account_context, 50)
        )
        registry.add_area_section(
            Section(
                key="alerts",
                template="alerts/partials/area_section.html",
                context=lambda request, area: {"area": area},
                order=200,
            )
        )
