"""JSON API of the public calendar: the same filters as the calendar page."""

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from quartier.core.api_types import IsoDateTime
from quartier.core.pagination import Pagination
from quartier.events import selectors
from quartier.events.forms import CalendarFilterForm
from quartier.events.models import Event

router = Router(tags=["events"])


class Filters(Schema):
    area: str | None = None
    category: str | None = None
    topic: str | None = None  # a topic's id; narrower topics included
    target_group: str | None = None
    free: bool = False
    starts_after: IsoDateTime | None = None


class OrganiserOut(Schema):
    slug: str
    name: str


class EventOut(Schema):
    uid: str
    slug: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    all_day: bool
    status: str
    category: str | None
    place: str
    lat: float | None
    lon: float | None
    accessibility: str
    is_free: bool
    cost: str
    registration_required: bool
    capacity: int | None
    organisers: list[OrganiserOut]
    url: str
    ics_url: str

    @staticmethod
    def resolve_category(obj: Event) -> str | None:
        return obj.category.slug if obj.category_id else None

    @staticmethod
    def resolve_place(obj: Event) -> str:
        return obj.address_line

    @staticmethod
    def resolve_organisers(obj: Event) -> list:
        return list(obj.organisations.all())

    @staticmethod
    def resolve_url(obj: Event, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_ics_url(obj: Event, context) -> str:
        return context["request"].build_absolute_uri(f"{obj.get_absolute_url()}termin.ics")


def _cleaned(filters: Filters) -> dict:
    data = {key: value for key, value in filters.dict().items() if value not in (None, False)}
    data.pop("starts_after", None)
    form = CalendarFilterForm(data)
    if not form.is_valid():
        raise NinjaValidationError(
            [
                {"loc": ["query", field], "msg": "; ".join(errors)}
                for field, errors in form.errors.items()
            ]
        )
    return form.cleaned_data


@router.get("/", response=list[EventOut], url_name="event_list")
@paginate(Pagination)
def event_list(request: HttpRequest, filters: Query[Filters]):
    """Published events from `starts_after` (default: now) on, filtered like the calendar page.
    No personal data: registrants and helpers never appear here."""
    since = filters.starts_after or timezone.now()
    return (
        selectors.calendar_events(_cleaned(filters))
        .filter(ends_at__gte=since)
        .prefetch_related("organisations")
    )


@router.get("/{slug}", response=EventOut, url_name="event_detail")
def event_detail(request: HttpRequest, slug: str):
    return get_object_or_404(
        Event.objects.published().select_related("category").prefetch_related("organisations"),
        slug=slug,
    )
