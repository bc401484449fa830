from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "quartier.areas"
    label = "areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from quartier.areas import sections
        from quartier.core.registry import NavItem, Section, registry

        registry.add_nav(
            NavItem(
                "backoffice:areas:list",
                _("Areas"),
                order=10,
                backoffice=True,
                visible=lambda user: user.has_perm("areas.access_backoffice"),
            )
        )
        registry.add_dashboard_section(
            Section("areas", "areas/partials/dashboard.html", sections.dashboard, order=10)
        )
        registry.add_page_models(*self.get_models())
