from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "quartier.projects"
    label = "projects"
    verbose_name = _("Projects and goals")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, Section, registry
        from quartier.projects import sections

        registry.add_nav(NavItem("projects:list", _("Projects"), order=50))
        registry.add_nav(
            NavItem(
                "backoffice:projects:index",
                _("Projects and goals"),
                order=50,
                backoffice=True,
                visible=lambda user: user.has_perm("projects.access_backoffice"),
            )
        )
        registry.add_area_section(
            Section("projects", "projects/partials/area_section.html", sections.area_context, 50)
        )
        registry.add_dashboard_section(
            Section(
                "projects",
                "projects/partials/dashboard_section.html",
                sections.dashboard_context,
                50,
            )
        )
        sections.register_newspaper()
        from quartier.networks.hooks import add_minutes_section

        add_minutes_section(
            Section(
                "projects-fund",
                "projects/partials/minutes_section.html",
                sections.minutes_context,
                50,
            )
        )
