from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "quartier.venues"
    label = "venues"
    verbose_name = _("Venues")

    def ready(self) -> None:
        from quartier.core.media import register_media
        from quartier.venues import media

        register_media("venues/rooms/", media.check)
        from quartier.core.registry import NavItem, Section, registry
        from quartier.venues import sections

        registry.add_nav(NavItem("venues:index", _("Rooms"), order=45))
        registry.add_nav(
            NavItem(
                "backoffice:venues:index",
                _("Room bookings"),
                order=45,
                backoffice=True,
                visible=lambda user: user.has_perm("venues.list_bookings"),
            )
        )
        registry.add_area_section(
            Section("venues", "venues/partials/area_section.html", sections.area_context, 45)
        )
        registry.add_dashboard_section(
            Section("venues", "venues/partials/dashboard.html", sections.dashboard_context, 45)
        )
        registry.add_account_section(
            Section("venues", "venues/partials/account_section.html", sections.account_context, 45)
        )
        registry.add_page_models(*self.get_models())
