"""The OParl 1.1 endpoints: the system, its bodies, and each object type's lists and objects.

Every answer is public and stateless (OParl forbids sessions), sent with
`Access-Control-Allow-Origin: *` so browser clients of other sites can read it. Hidden or
unknown objects answer 404 with a JSON message, like every other endpoint of the API.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Router

from quartier.api.oparl import selectors
from quartier.api.oparl import serializers as s
from quartier.api.oparl import serializers_meetings as sm
from quartier.api.oparl.pagination import page
from quartier.api.oparl.params import MAX_ELEMENTS_ASKED, MAX_PAGE, parse_list_params

router = Router(tags=["oparl"])

_DATE_TIME = {"type": "string", "format": "date-time"}


def _list_doc(*, with_pk: bool = True) -> dict[str, Any]:
    """OpenAPI for a list: the views read the query themselves (to answer in OParl's terms),
    so the parameters are described here. ninja replaces, not merges, `parameters`."""
    parameters = [
        {"in": "query", "name": name, "schema": _DATE_TIME, "required": False}
        for name in ("created_since", "created_until", "modified_since", "modified_until")
    ]
    parameters += [
        {
            "in": "query",
            "name": "page",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        },
        {
            "in": "query",
            "name": "elementsPerPage",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ELEMENTS_ASKED},
            "description": "Items per page; the server gives at most 100.",
        },
    ]
    if with_pk:
        parameters.insert(
            0, {"in": "path", "name": "pk", "required": True, "schema": {"type": "integer"}}
        )
    return {"parameters": parameters}


_LIST = _list_doc()


def oparl(view: Callable[..., Any]) -> Callable[..., HttpResponseBase]:
    """Render German vocabulary whatever the client's language, as JSON in UTF-8, CORS open."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with translation.override("de"):
            result = view(request, *args, **kwargs)
            response = (
                result
                if isinstance(result, HttpResponseBase)
                else JsonResponse(
                    result,
                    json_dumps_params={"ensure_ascii": False},
                    content_type="application/json; charset=utf-8",
                )
            )
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _list(request: HttpRequest, queryset, serialize) -> dict[str, Any]:
    params = parse_list_params(request.GET)
    return page(request, queryset, params, serialize)


def _each(serializer: Callable[[Any], dict[str, Any]]) -> Callable[[list[Any]], list[dict]]:
    return lambda objects: [serializer(obj) for obj in objects]


def _area(pk: int):
    return get_object_or_404(selectors.oparl_bodies(), pk=pk)


@router.get("/system", url_name="oparl_system", summary="OParl entry point (System)")
@oparl
def system(request: HttpRequest):
    return s.system()


@router.get(
    "/bodies",
    url_name="oparl_body_list",
    summary="OParl bodies: areas with networks",
    openapi_extra=_list_doc(with_pk=False),
)
@oparl
def body_list(request: HttpRequest):
    return _list(request, selectors.oparl_bodies(), _each(s.body))


@router.get("/body/{pk}", url_name="oparl_body", summary="OParl Body (an area)")
@oparl
def body(request: HttpRequest, pk: int):
    area = _area(pk)
    area.oparl_modified = area.updated_at
    return s.body(area)


@router.get("/body/{pk}/organization", url_name="oparl_body_organization", openapi_extra=_LIST)
@oparl
def body_organizations(request: HttpRequest, pk: int):
    return _list(request, selectors.body_organizations(_area(pk)), _each(s.any_organization))


@router.get("/body/{pk}/person", url_name="oparl_body_person", openapi_extra=_LIST)
@oparl
def body_people(request: HttpRequest, pk: int):
    return _list(request, selectors.public_people(_area(pk)), _each(s.person))


@router.get("/body/{pk}/membership", url_name="oparl_body_membership", openapi_extra=_LIST)
@oparl
def body_memberships(request: HttpRequest, pk: int):
    return _list(request, selectors.memberships(_area(pk)), _each(s.membership))


@router.get("/body/{pk}/meeting", url_name="oparl_body_meeting", openapi_extra=_LIST)
@oparl
def body_meetings(request: HttpRequest, pk: int):
    return _list(request, selectors.meetings(area=_area(pk)), _each(sm.meeting))


@router.get("/body/{pk}/agendaItem", url_name="oparl_body_agenda_item", openapi_extra=_LIST)
@oparl
def body_agenda_items(request: HttpRequest, pk: int):
    return _list(request, selectors.agenda_items(_area(pk)), _each(sm.standalone_agenda_item))


@router.get("/body/{pk}/paper", url_name="oparl_body_paper", openapi_extra=_LIST)
@oparl
def body_papers(request: HttpRequest, pk: int):
    return _list(request, selectors.papers(_area(pk)), _each(sm.paper))


@router.get("/body/{pk}/file", url_name="oparl_body_file", openapi_extra=_LIST)
@oparl
def body_files(request: HttpRequest, pk: int):
    return _list(request, selectors.files(_area(pk)), _each(sm.file))


@router.get("/body/{pk}/location", url_name="oparl_body_location", openapi_extra=_LIST)
@oparl
def body_locations(request: HttpRequest, pk: int):
    return _list(request, selectors.locations(_area(pk)), _each(sm.location))


@router.get("/organization/{pk}", url_name="oparl_organization")
@oparl
def organization(request: HttpRequest, pk: int):
    return s.organization(get_object_or_404(selectors.organizations(), pk=pk))


@router.get(
    "/organization/{pk}/meeting", url_name="oparl_organization_meeting", openapi_extra=_LIST
)
@oparl
def organization_meetings(request: HttpRequest, pk: int):
    gremium = get_object_or_404(selectors.public_gremien(), pk=pk)
    return _list(request, selectors.meetings(body=gremium), _each(sm.meeting))


@router.get("/memberOrganization/{pk}", url_name="oparl_member_organization")
@oparl
def member_organization(request: HttpRequest, pk: int):
    return s.member_organization(get_object_or_404(selectors.signatories(), pk=pk))


@router.get("/person/{pk}", url_name="oparl_person")
@oparl
def person(request: HttpRequest, pk: int):
    return s.person(get_object_or_404(selectors.public_people(), pk=pk))


@router.get("/membership/{pk}", url_name="oparl_membership")
@oparl
def membership(request: HttpRequest, pk: int):
    return s.membership(get_object_or_404(selectors.memberships(), pk=pk))


@router.get("/meeting/{pk}", url_name="oparl_meeting")
@oparl
def meeting(request: HttpRequest, pk: int):
    return sm.meeting(get_object_or_404(selectors.meetings(), pk=pk))


@router.get("/meeting/{pk}/location", url_name="oparl_meeting_location")
@oparl
def meeting_location(request: HttpRequest, pk: int):
    return sm.location(get_object_or_404(selectors.locations(), pk=pk))


def _public_minutes(pk: int):
    found = get_object_or_404(selectors.meetings(), pk=pk)
    minutes = selectors.minutes_of(found)
    if minutes is None:
        raise Http404
    return minutes, found


@router.get("/meeting/{pk}/minutes", url_name="oparl_meeting_minutes")
@oparl
def meeting_minutes(request: HttpRequest, pk: int):
    return sm.minutes_file(*_public_minutes(pk))


@router.get("/meeting/{pk}/minutes.txt", url_name="oparl_meeting_minutes_text")
@oparl
def meeting_minutes_text(request: HttpRequest, pk: int):
    text = sm.minutes_text(*_public_minutes(pk))
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@router.get("/agendaItem/{pk}", url_name="oparl_agenda_item")
@oparl
def agenda_item(request: HttpRequest, pk: int):
    return sm.standalone_agenda_item(get_object_or_404(selectors.agenda_items(), pk=pk))


@router.get("/paper/{pk}", url_name="oparl_paper")
@oparl
def paper(request: HttpRequest, pk: int):
    return sm.paper(get_object_or_404(selectors.papers(), pk=pk))


@router.get("/file/{pk}", url_name="oparl_file")
@oparl
def file(request: HttpRequest, pk: int):
    return sm.file(get_object_or_404(selectors.files(), pk=pk))


@router.get("/file/{pk}/download", url_name="oparl_file_download")
@oparl
def file_download(request: HttpRequest, pk: int):
    version = get_object_or_404(selectors.files(), pk=pk)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    # Always as a download with a sandbox: an uploaded HTML file must not run on our origin.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.file_name,
        content_type=version.mime_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    return response
