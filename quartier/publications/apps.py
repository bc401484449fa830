from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "quartier.publications"
    label = "publications"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, Section, registry
        from quartier.publications import newspaper_sections, sections

        registry.add_nav(NavItem("publications:news", _("News"), order=45))
        registry.add_nav(
            NavItem(
                "backoffice:publications:posts",
                _("News and newsletter"),
                order=45,
                backoffice=True,
                visible=lambda user: user.has_perm("publications.add_post"),
            )
        )
        newspaper_sections.register_defaults()
        registry.add_area_section(
            Section("news", "publications/partials/area_section.html", sections.area_context, 35)
        )
