"""JSON API of the networks app: public bodies and their public meetings (read only).

The standard view of the same data is OParl (quartier/api/oparl); this is the plain one the
pages' machine-readable twins point to.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from quartier.core.pagination import Pagination
from quartier.networks import selectors
from quartier.networks.models import Body, Meeting, Membership

router = Router(tags=["networks"])


class BodyOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    coordinating_organisation: str | None
    member_count: int
    last_meeting: datetime.datetime | None
    next_meeting: datetime.datetime | None
    url: str

    @staticmethod
    def resolve_kind(obj: Body) -> str:
        return obj.kind.localized_name

    @staticmethod
    def resolve_coordinating_organisation(obj: Body) -> str | None:
        return obj.coordinating_organisation.name if obj.coordinating_organisation else None

    @staticmethod
    def resolve_url(obj: Body, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MemberOut(Schema):
    organisation: str
    organisation_slug: str
    role: str
    since: datetime.date | None


class BodyDetailOut(BodyOut):
    members: list[MemberOut]


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    start: datetime.datetime
    end: datetime.datetime
    status: str
    location: str
    url: str

    @staticmethod
    def resolve_location(obj: Meeting) -> str:
        return obj.location_text

    @staticmethod
    def resolve_url(obj: Meeting, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


def _public_bodies():
    return selectors.bodies_with_dates(Body.objects.public()).order_by("name")


@router.get("/bodies", response=list[BodyOut], url_name="networks_body_list")
@paginate(Pagination)
def body_list(request: HttpRequest):
    """Public bodies (Gremien) with member count and last and next meeting."""
    return _public_bodies()


@router.get("/bodies/{slug}", response=BodyDetailOut, url_name="networks_body_detail")
def body_detail(request: HttpRequest, slug: str):
    body = get_object_or_404(_public_bodies(), slug=slug)
    members = (
        Membership.objects.current()
        .filter(body=body)
        .exclude(role="guest")
        .select_related("organisation")
        .order_by("organisation__name")
    )
    body.members = [
        {
            "organisation": m.organisation.name,
            "organisation_slug": m.organisation.slug,
            "role": m.role,
            "since": m.start_date,
        }
        for m in members
    ]
    return body


@router.get("/bodies/{slug}/meetings", response=list[MeetingOut], url_name="networks_body_meetings")
@paginate(Pagination)
def body_meetings(request: HttpRequest, slug: str, upcoming: bool = False):
    """The body's public meetings, newest first (`upcoming=true`: coming ones, soonest first)."""
    body = get_object_or_404(Body.objects.public(), slug=slug)
    meetings = Meeting.objects.public().filter(body=body).select_related("body")
    if upcoming:
        return meetings.filter(start__gte=timezone.now()).order_by("start")
    return meetings.order_by("-start")
