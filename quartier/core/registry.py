"""Extension points through which apps contribute to shared pages without upward imports.

An app registers in its `AppConfig.ready()`:

- `nav`: a link in the main navigation (public) or in the back office menu.
- `area_sections`: a block on an area's public start page ("what this platform holds here").
- `dashboard_sections`: a block on the back-office dashboard.
- `account_sections`: a block on a resident's account page (their bookings, registrations,
  alerts): `context(request, user)`, None when the user has nothing of that kind.
- `page_models`: models whose saved or deleted rows retire the cached public pages
  (core/pagecache.py), with `registry.add_page_models(*self.get_models())`.
- `easy_sections`: a block on the site's easy-language page (Leichte Sprache), for example
  the offers that have an easy-language text; `context(request, None)`.
- `newspaper_sections`: an automatic section of a district newspaper issue (coming events,
  new offers, ...): `items(area, start, end)` lists what belongs to an area and period.

Core and areas iterate the registries; they never import the contributing apps.

Modules every app may have by name (`demo`, `retention`, `api`, `backoffice_urls`) are found
with `app_modules(name)`, Django's `autodiscover_modules` underneath.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps
from django.db.models import Model
from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    order: int = 100
    backoffice: bool = False
    # Shown only when this returns True for the request's user (default: everyone).
    visible: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Section:
    """A block on a shared page: `context(request, obj)` returns the template context or None
    (None hides the block, for example when the area has nothing of this kind)."""

    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class NewspaperItem:
    """One entry of an automatic newspaper section (plain text; `url` absolute or a path)."""

    title: str
    when: str = ""
    text: str = ""
    url: str = ""


@dataclass(frozen=True)
class NewspaperSection:
    """`items(area, start, end)`: the entries for an area (and the areas below it) between
    two dates; an empty list hides the section in that issue."""

    key: str
    title: Any  # a lazy translation
    items: Callable[[Any, Any, Any], list[NewspaperItem]]
    order: int = 100


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    area_sections: list[Section] = field(default_factory=list)
    dashboard_sections: list[Section] = field(default_factory=list)
    account_sections: list[Section] = field(default_factory=list)
    page_models: list[type[Model]] = field(default_factory=list)
    newspaper_sections: list[NewspaperSection] = field(default_factory=list)
    easy_sections: list[Section] = field(default_factory=list)

    def add_nav(self, item: NavItem) -> None:
        if all(existing.url_name != item.url_name for existing in self.nav):
            self.nav.append(item)
            self.nav.sort(key=lambda entry: entry.order)

    def add_area_section(self, section: Section) -> None:
        self._add(self.area_sections, section)

    def add_dashboard_section(self, section: Section) -> None:
        self._add(self.dashboard_sections, section)

    def add_easy_section(self, section: Section) -> None:
        self._add(self.easy_sections, section)

    def add_account_section(self, section: Section) -> None:
        self._add(self.account_sections, section)

    def add_page_models(self, *models: type[Model]) -> None:
        """A saved or deleted row of these models (or a change of their many-to-many
        relations) retires every cached public page once its transaction commits."""
        from quartier.core import pagecache

        for model in models:
            if model not in self.page_models:
                self.page_models.append(model)
                pagecache.watch(model)

    def add_newspaper_section(self, section: NewspaperSection) -> None:
        self._add(self.newspaper_sections, section)

    @staticmethod
    def _add(sections: list[Any], section: Any) -> None:
        if all(existing.key != section.key for existing in sections):
            sections.append(section)
            sections.sort(key=lambda entry: entry.order)


registry = Registry()


def render_sections(
    sections: list[Section], request: HttpRequest, obj: Any
) -> list[tuple[Section, dict[str, Any]]]:
    """The sections that have something to show for `obj`, with their contexts."""
    shown = []
    for section in sections:
        context = section.context(request, obj)
        if context is not None:
            shown.append((section, context))
    return shown


def app_modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    """Each Quartier app's module `name` (its `demo`, `retention`, `api`...), in app order.

    Imported by Django's `autodiscover_modules`: an app without such a module is skipped, an
    error inside an existing one is raised. Modules of the same name in third-party apps are
    not returned."""
    autodiscover_modules(name)
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("quartier."):
            module = sys.modules.get(f"{config.name}.{name}")
            if module is not None:
                found.append((config, module))
    return found
