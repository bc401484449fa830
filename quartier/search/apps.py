from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "quartier.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, Section, registry
        from quartier.search import signals, views

        signals.connect()
        registry.add_nav(NavItem("search:search", _("Offers"), order=20))
        registry.add_nav(
            NavItem(
                "search:guided",
                _("Tailored help"),
                order=21,
                visible=views.may_use_guided_search,
            )
        )
        registry.add_area_section(
            Section("offers", "search/partials/area_section.html", views.area_context, order=20)
        )
