"""Extension point for apps after networks (statements, ...): blocks on a body's public page.

An app registers in its AppConfig.ready():

    from quartier.networks.hooks import add_body_section
    add_body_section(Section("statements", "statements/partials/body_section.html", context))

`context(request, body)` returns the template context or None (nothing to show), so networks
never imports the apps that contribute to its pages.
"""

from __future__ import annotations

from quartier.core.registry import Section

body_sections: list[Section] = []


def add_body_section(section: Section) -> None:
    if all(existing.key != section.key for existing in body_sections):
        body_sections.append(section)
        body_sections.sort(key=lambda entry: entry.order)
