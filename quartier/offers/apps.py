from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "quartier.offers"
    label = "offers"
    verbose_name = _("Offers")

    def ready(self) -> None:
        from quartier.core.geocoding import add_known_places
        from quartier.core.registry import NavItem, Section, registry
        from quartier.offers import sections, selectors

        registry.add_nav(
            NavItem(
                "backoffice:offers:list",
                _("Offers"),
                order=20,
                backoffice=True,
                visible=lambda user: user.has_perm("offers.access_offers"),
            )
        )
        registry.add_nav(
            NavItem(
                "backoffice:offers:queue",
                _("Review offers"),
                order=21,
                backoffice=True,
                visible=lambda user: user.has_perm("offers.review_offers"),
            )
        )
        registry.add_dashboard_section(
            Section(
                "offers-review",
                "offers/partials/dashboard_review.html",
                sections.dashboard_review,
                order=20,
            )
        )
        registry.add_dashboard_section(
            Section(
                "offers-stale",
                "offers/partials/dashboard_stale.html",
                sections.dashboard_stale,
                order=21,
            )
        )
        registry.add_easy_section(
            Section(
                "offers-easy",
                "offers/partials/easy_language_offers.html",
                sections.easy_language_offers,
            )
        )
        registry.add_page_models(*self.get_models())
        add_known_places(selectors.known_place)
