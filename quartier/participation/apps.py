from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "quartier.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, Section, registry
        from quartier.participation import sections
        from quartier.projects.hooks import add_project_section

        registry.add_nav(NavItem("participation:list", _("Participation"), order=55))
        registry.add_nav(
            NavItem(
                "backoffice:participation:index",
                _("Participation"),
                order=55,
                backoffice=True,
                visible=lambda user: user.has_perm("participation.access_backoffice"),
            )
        )
        registry.add_area_section(
            Section(
                "participation",
                "participation/partials/area_section.html",
                sections.area_context,
                55,
            )
        )
        # The area page (cached for anonymous visitors) lists the open rounds.
        from quartier.participation.models import Round

        registry.add_page_models(Round)
        add_project_section(
            Section(
                "participation",
                "participation/partials/project_section.html",
                sections.project_context,
                50,
            )
        )
