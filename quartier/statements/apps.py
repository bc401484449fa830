from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "quartier.statements"
    label = "statements"
    verbose_name = _("Joint statements")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, Section, registry
        from quartier.networks.hooks import add_body_section
        from quartier.statements import sections

        registry.add_nav(
            NavItem(
                "backoffice:statements:index",
                _("Joint statements"),
                order=45,
                backoffice=True,
                visible=lambda user: user.has_perm("statements.use_backoffice"),
            )
        )
        add_body_section(
            Section(
                "statements",
                "statements/partials/body_section.html",
                sections.body_context,
                50,
            )
        )
        registry.add_page_models(*self.get_models())
