"""core.permissions: rules' decorator with the house rules (login first, then 403), and loaders."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.test import RequestFactory

from quartier.areas.models import Area
from quartier.core import permissions

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/x/")
    request.user = user
    return request


calls: list[int] = []


@permissions.loader
def load_area(request, pk):
    calls.append(pk)
    return get_object_or_404(Area, pk=pk)


@permissions.permission_required("areas.change_area", fn=load_area)
def edit(request, pk):
    return HttpResponse(load_area(request, pk=pk).name)


def test_anonymous_goes_to_login_before_any_lookup(world):
    from django.contrib.auth.models import AnonymousUser

    calls.clear()
    response = edit(_request(AnonymousUser()), pk=world.city.pk)
    assert response.status_code == 302
    assert "/anmelden/" in response["Location"] or "login" in response["Location"]
    assert calls == []


def test_without_the_permission_403(world):
    with pytest.raises(PermissionDenied):
        edit(_request(world.users["resident"]), pk=world.city.pk)


def test_with_the_permission_one_lookup(world):
    calls.clear()
    response = edit(_request(world.users["admin"]), pk=world.city.pk)
    assert response.status_code == 200
    assert response.content.decode() == world.city.name
    assert calls == [world.city.pk]


def test_unknown_object_404(world):
    with pytest.raises(Http404):
        edit(_request(world.users["admin"]), pk=999999)
