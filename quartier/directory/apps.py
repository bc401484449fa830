from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "quartier.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from quartier.core.geocoding import add_known_places
        from quartier.core.registry import NavItem, Section, registry
        from quartier.directory import sections, selectors

        registry.add_nav(NavItem("directory:organisation_list", _("Organisations"), order=35))
        registry.add_nav(
            NavItem(
                "backoffice:directory:organisation_list",
                _("Organisations"),
                order=20,
                backoffice=True,
                visible=lambda user: user.has_perm("directory.access_backoffice"),
            )
        )
        registry.add_nav(
            NavItem(
                "backoffice:directory:person_list",
                _("Contact persons"),
                order=21,
                backoffice=True,
                visible=lambda user: user.has_perm("directory.access_backoffice"),
            )
        )
        registry.add_dashboard_section(
            Section("directory", "directory/partials/dashboard.html", sections.dashboard, order=20)
        )
        registry.add_area_section(
            Section("directory", "directory/partials/area_section.html", sections.area, order=50)
        )
        registry.add_page_models(*self.get_models())
        add_known_places(selectors.known_place)
