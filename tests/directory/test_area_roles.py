"""Planners give editor and coordinator roles within their areas, and nothing beyond."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from quartier.accounts.models import Role, RoleAssignment
from quartier.accounts.rules import scope_of
from quartier.directory.services import area_role_assign, area_role_revoke

URL = "backoffice:directory:area_roles"


def test_a_planner_gives_an_editor_role_in_their_area_with_history(world):
    resident = world.users["resident"]
    response = world.client("planner").post(
        reverse(URL),
        {"username": "resident", "role": "editor", "organisation": world.organisation.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=resident, role=Role.EDITOR)
    assert assignment.organisation == world.organisation
    assert assignment.history.first().history_user == world.users["planner"]
    assert scope_of(resident).editor_organisation_ids == {world.organisation.pk}
    page = world.client("planner").get(reverse(URL)).content.decode()
    assert "resident" in page and world.organisation.name in page
    # Each row withdraws through the planners' own route, not the admins'.
    revoke = reverse("backoffice:directory:area_role_revoke", kwargs={"pk": assignment.pk})
    assert f'action="{revoke}"' in page


def test_a_planner_gives_a_coordinator_role_for_an_area_and_withdraws_it(world):
    planner = world.users["planner"]
    assignment = area_role_assign(
        by=planner, user=world.users["resident"], role=Role.COORDINATOR, area=world.district
    )
    response = world.client("planner").post(
        reverse("backoffice:directory:area_role_revoke", kwargs={"pk": assignment.pk})
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.is_active


def test_a_planner_cannot_give_roles_outside_their_areas_nor_planner_rights(world):
    planner, resident = world.users["planner"], world.users["resident"]
    client = world.client("planner")
    # The form offers neither the other city's organisation nor the planner role.
    for data in (
        {"username": "resident", "role": "editor", "organisation": world.other_organisation.pk},
        {"username": "resident", "role": "coordinator", "area": world.other_city.pk},
        {"username": "resident", "role": "planner", "area": world.district.pk},
        {"username": "niemand", "role": "editor", "organisation": world.organisation.pk},
        {"username": "resident", "role": "editor"},
    ):
        response = client.post(reverse(URL), data)
        assert response.status_code == 422, data
    page = client.get(reverse(URL)).content.decode()
    assert 'value="planner"' not in page and 'value="editor"' in page
    assert not RoleAssignment.objects.filter(user=resident).exists()
    # The service refuses too, whoever calls it.
    for kwargs in (
        {"role": Role.EDITOR, "organisation": world.other_organisation},
        {"role": Role.COORDINATOR, "area": world.other_city},
        {"role": Role.PLANNER, "area": world.district},
        {"role": Role.COORDINATOR},
    ):
        with pytest.raises(PermissionDenied):
            area_role_assign(by=planner, user=resident, **kwargs)
    assert not RoleAssignment.objects.filter(user=resident).exists()


def test_a_planner_cannot_withdraw_roles_outside_their_areas_nor_a_planner_role(world):
    other = RoleAssignment.objects.create(
        user=world.users["resident"], role=Role.EDITOR, organisation=world.other_organisation
    )
    planner_role = world.users["planner"].role_assignments.get()
    client = world.client("planner")
    for assignment in (other, planner_role):
        url = reverse("backoffice:directory:area_role_revoke", kwargs={"pk": assignment.pk})
        assert client.post(url).status_code == 403
        assignment.refresh_from_db()
        assert assignment.is_active
        with pytest.raises(PermissionDenied):
            area_role_revoke(by=world.users["planner"], assignment=assignment)
    page = client.get(reverse(URL)).content.decode()
    assert world.other_organisation.name not in page


def test_other_roles_may_not_use_the_page(world):
    for role in ("resident", "editor", "coordinator"):
        assert world.client(role).get(reverse(URL)).status_code == 403
        response = world.client(role).post(
            reverse(URL),
            {"username": "resident", "role": "editor", "organisation": world.organisation.pk},
        )
        assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=world.users["resident"]).exists()
