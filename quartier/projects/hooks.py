"""Extension point for apps below projects (participation): blocks on a project's public page.

An app registers in its AppConfig.ready():

    from quartier.projects.hooks import add_project_section
    add_project_section(Section("participation", "participation/partials/...", context))

`context(request, project)` returns the template context or None (nothing to show), so
projects never imports the apps that add to its page.
"""

from __future__ import annotations

from quartier.core.registry import Section

project_sections: list[Section] = []


def add_project_section(section: Section) -> None:
    if all(existing.key != section.key for existing in project_sections):
        project_sections.append(section)
        project_sections.sort(key=lambda entry: entry.order)
