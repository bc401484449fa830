from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "quartier.monitoring"
    label = "monitoring"
    verbose_name = _("Social-space monitoring")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, Section, registry
        from quartier.monitoring import sections

        registry.add_nav(
            NavItem(
                "backoffice:monitoring:indicators",
                _("Statistics"),
                order=60,
                backoffice=True,
                visible=lambda user: user.has_perm("monitoring.import_values"),
            )
        )
        registry.add_area_section(
            Section(
                "monitoring", "monitoring/partials/area_section.html", sections.area_context, 60
            )
        )
        registry.add_dashboard_section(
            Section("monitoring", "monitoring/partials/dashboard.html", sections.dashboard, 60)
        )
        registry.add_page_models(*self.get_models())
