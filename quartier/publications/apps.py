from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "quartier.publications"
    label = "publications"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, registry
        from quartier.publications import newspaper_sections

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
