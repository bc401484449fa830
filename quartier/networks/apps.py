from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "quartier.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from quartier.core.media import register_media
        from quartier.networks import media

        register_media("networks/documents/", media.check)
        from quartier.core.registry import NavItem, Section, registry
        from quartier.networks import sections

        registry.add_nav(NavItem(url_name="networks:list", label=_("Networks"), order=40))
        registry.add_nav(
            NavItem(
                url_name="backoffice:networks:index",
                label=_("Networks"),
                order=40,
                backoffice=True,
                visible=lambda user: user.has_perm("networks.use_backoffice"),
            )
        )
        from quartier.offers.hooks import add_offer_section

        add_offer_section(
            Section(
                key="networks",
                template="networks/partials/offer_section.html",
                context=sections.organisation_bodies_context,
                order=40,
            )
        )
        registry.add_area_section(
            Section(
                key="networks",
                template="networks/partials/area_section.html",
                context=sections.area_context,
                order=40,
            )
        )
        registry.add_dashboard_section(
            Section(
                key="networks",
                template="networks/partials/dashboard_section.html",
                context=sections.dashboard_context,
                order=40,
            )
        )
        registry.add_dashboard_section(
            Section(
                key="networks_organisation_requests",
                template="networks/partials/organisation_requests_dashboard.html",
                context=sections.organisation_requests_context,
                order=41,
            )
        )
        registry.add_page_models(*self.get_models())
