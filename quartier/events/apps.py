from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "quartier.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from quartier.core.media import register_media
        from quartier.events import media

        register_media("events/", media.check)
        from quartier.core.registry import NavItem, Section, registry
        from quartier.events import sections

        registry.add_nav(NavItem("events:calendar", _("Calendar"), order=40))
        registry.add_nav(
            NavItem(
                "backoffice:events:list",
                _("Events"),
                order=40,
                backoffice=True,
                visible=lambda user: user.has_perm("events.add_event"),
            )
        )
        registry.add_area_section(
            Section("events", "events/partials/area_section.html", sections.area_context, 40)
        )
        registry.add_dashboard_section(
            Section(
                "events", "events/partials/dashboard_section.html", sections.dashboard_context, 40
            )
        )
        registry.add_account_section(
            Section("events", "events/partials/account_section.html", sections.account_context, 40)
        )
        registry.add_page_models(*self.get_models())
        sections.register_alerts()
