from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "quartier.concerns"
    label = "concerns"
    verbose_name = _("Concerns")

    def ready(self) -> None:
        from quartier.concerns import sections
        from quartier.core.registry import NavItem, Section, registry

        registry.add_nav(NavItem("concerns:list", _("Concerns"), order=50))
        registry.add_nav(
            NavItem(
                "backoffice:concerns:inbox",
                _("Concerns"),
                order=50,
                backoffice=True,
                visible=lambda user: user.has_perm("concerns.view_inbox"),
            )
        )
        registry.add_dashboard_section(
            Section(
                "concerns",
                "concerns/partials/dashboard_section.html",
                sections.dashboard_context,
                50,
            )
        )
        sections.register_alerts()
        sections.register_newspaper()
