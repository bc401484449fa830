"""Extension points for apps after networks (statements, projects, ...).

- `body_sections`: blocks on a body's public page, `context(request, body)`.
- `minutes_sections`: blocks in the minutes editor of a meeting that has begun (the district
  fund's vote on the applications on its agenda), `context(request, meeting)`.

An app registers in its AppConfig.ready():

    from quartier.networks.hooks import add_body_section
    add_body_section(Section("statements", "statements/partials/body_section.html", context))

`context(...)` returns the template context or None (nothing to show), so networks
never imports the apps that contribute to its pages.
"""

from __future__ import annotations

from quartier.core.registry import Section

body_sections: list[Section] = []


def add_body_section(section: Section) -> None:
    if all(existing.key != section.key for existing in body_sections):
        body_sections.append(section)
        body_sections.sort(key=lambda entry: entry.order)


minutes_sections: list[Section] = []


def add_minutes_section(section: Section) -> None:
    if all(existing.key != section.key for existing in minutes_sections):
        minutes_sections.append(section)
        minutes_sections.sort(key=lambda entry: entry.order)
