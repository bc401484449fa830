"""Who may do what with concepts, projects, programmes and continuation tasks.

- Residents and visitors see running and completed projects (the public view).
- Coordinators edit the concepts and projects of their areas (the areas of their role and
  everything below them) and the programmes of those areas.
- Editors and coordinators of a project's lead organisation edit that project.
- Planners see everything in their areas (and below), but change nothing here.
- District fund: the coordinators of the fund's area create and edit the fund, put its
  applications on an agenda and record the vote; planners of the area see the applications.
  Anyone (no account) applies and follows an application by its signed link.
- Platform admins do everything.
"""

from __future__ import annotations

import rules

from quartier.accounts.rules import is_platform_admin, is_staff_member, scope_of
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import descendant_ids


def organisation_ids(user) -> set[int]:
    scope = scope_of(user)
    return scope.editor_organisation_ids | scope.coordinator_organisation_ids


def coordinated_area_ids(user) -> set[int]:
    """Areas whose concepts and projects the user edits: coordinator areas and below."""
    cached = getattr(user, "_quartier_project_areas", None)
    if cached is None:
        scope = scope_of(user)
        cached = descendant_ids(scope.coordinator_area_ids) if scope.coordinator_area_ids else set()
        user._quartier_project_areas = cached
    return cached


def seen_area_ids(user) -> set[int]:
    """Areas whose concepts and projects the user sees in the back office."""
    return coordinated_area_ids(user) | managed_area_ids(user)


def _ids(obj, relation: str) -> list[int]:
    cache = getattr(obj, "_prefetched_objects_cache", {})
    if relation in cache:
        return [item.pk for item in cache[relation]]
    return list(getattr(obj, relation).values_list("pk", flat=True))


@rules.predicate
def coordinates_concept(user, concept) -> bool:
    return concept is not None and concept.area_id in coordinated_area_ids(user)


@rules.predicate
def sees_concept(user, concept) -> bool:
    return concept is not None and concept.area_id in seen_area_ids(user)


@rules.predicate
def concept_is_current(user, concept) -> bool:
    return concept is not None and concept.is_current


@rules.predicate
def leads_project(user, project) -> bool:
    return project is not None and project.lead_organisation_id in organisation_ids(user)


@rules.predicate
def coordinates_project(user, project) -> bool:
    areas = coordinated_area_ids(user)
    return project is not None and bool(areas) and any(pk in areas for pk in _ids(project, "areas"))


@rules.predicate
def sees_project(user, project) -> bool:
    areas = seen_area_ids(user)
    return project is not None and bool(areas) and any(pk in areas for pk in _ids(project, "areas"))


@rules.predicate
def project_is_public(user, project) -> bool:
    return project is not None and project.is_public


@rules.predicate
def coordinates_programme(user, programme) -> bool:
    areas = coordinated_area_ids(user)
    return (
        programme is not None
        and bool(areas)
        and any(pk in areas for pk in _ids(programme, "areas"))
    )


@rules.predicate
def coordinates_area(user, area) -> bool:
    return area is not None and area.pk in coordinated_area_ids(user)


@rules.predicate
def sees_area(user, area) -> bool:
    return area is not None and area.pk in seen_area_ids(user)


@rules.predicate
def has_project_scope(user) -> bool:
    return bool(seen_area_ids(user) or organisation_ids(user))


@rules.predicate
def has_coordinated_areas(user) -> bool:
    return bool(coordinated_area_ids(user))


@rules.predicate
def coordinates_fund(user, fund) -> bool:
    return fund is not None and fund.area_id in coordinated_area_ids(user)


@rules.predicate
def sees_fund(user, fund) -> bool:
    return fund is not None and fund.area_id in seen_area_ids(user)


@rules.predicate
def coordinates_application(user, application) -> bool:
    return application is not None and coordinates_fund(user, application.fund)


@rules.predicate
def sees_application(user, application) -> bool:
    return application is not None and sees_fund(user, application.fund)


can_edit_project = is_platform_admin | coordinates_project | leads_project

rules.add_perm(
    "projects.access_backoffice", is_platform_admin | (is_staff_member & has_project_scope)
)
rules.add_perm("projects.view_concept", is_platform_admin | sees_concept)
rules.add_perm("projects.add_concept", is_platform_admin | has_coordinated_areas)
rules.add_perm(
    "projects.change_concept", concept_is_current & (is_platform_admin | coordinates_concept)
)
rules.add_perm("projects.view_public_project", project_is_public)
rules.add_perm("projects.view_project", can_edit_project | sees_project)
rules.add_perm(
    "projects.add_project",
    is_platform_admin
    | has_coordinated_areas
    | rules.predicate(lambda user: bool(organisation_ids(user))),
)
rules.add_perm("projects.change_project", can_edit_project)
rules.add_perm("projects.add_programme", is_platform_admin | has_coordinated_areas)
rules.add_perm("projects.change_programme", is_platform_admin | coordinates_programme)
rules.add_perm("projects.view_area_dashboard", is_platform_admin | sees_area)
rules.add_perm("projects.add_fund", is_platform_admin | has_coordinated_areas)
rules.add_perm("projects.change_fund", is_platform_admin | coordinates_fund)
rules.add_perm("projects.view_fund_application", is_platform_admin | sees_application)
rules.add_perm("projects.change_fund_application", is_platform_admin | coordinates_application)


@rules.predicate
def has_seen_areas(user) -> bool:
    return bool(seen_area_ids(user))


@rules.predicate
def sees_programme(user, programme) -> bool:
    areas = seen_area_ids(user)
    return (
        programme is not None
        and bool(areas)
        and any(pk in areas for pk in _ids(programme, "areas"))
    )


# Progress reports: coordinators and planners of an area (not the organisations' members).
rules.add_perm("projects.view_report", is_platform_admin | (is_staff_member & has_seen_areas))
rules.add_perm("projects.view_programme_report", is_platform_admin | sees_programme)
