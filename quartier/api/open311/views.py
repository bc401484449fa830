"""The GeoReport v2 endpoints (https://wiki.open311.org/GeoReport_v2) over concerns.

- Services are the active concern categories (`service_code` is the category's key); their
  questions are the service definitions' attributes.
- Requests are the public concerns: merged duplicates are left out of lists (and answer as
  closed by id), coordinates are rounded as on the public map, and neither the reporter's
  contact data nor the typed address ever leaves (the `address` is the area's name).
- POST is form-encoded, with an `api_key` from the back office (Open311 clients); without a
  key only when QUARTIER_OPEN311_ANONYMOUS_POST is on. Contact data is kept only from keyed
  clients, whose operators collect the consent (docs/privacy-concerns.md).
- Lists are not capped: `page` and `page_size` (default 100, at most 1000; an extension) page
  through everything, with a `Link: <…>; rel="next"` header and `X-Total-Count`. The next link also
  carries `after` (the last id of the page; an extension): the next page is read by keyset,
  not by OFFSET, and does not shift when new requests arrive while a client pages.
- Lists are answered from a cache of rendered pages, with an ETag and 304 to `If-None-Match`
  (core/answercache.py); any committed change of a concern, its notes, category, area, body or
  organisation retires them.
- Every error, of any kind, answers in the specification's format (render.error).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router

from quartier.api.open311.render import FORMATS, Open311Error, error, respond
from quartier.concerns import selectors, services, tokens
from quartier.concerns.models import (
    CLOSED,
    PUBLIC_DECIMALS,
    AttributeType,
    Category,
    Concern,
    Source,
    Status,
    Update,
)
from quartier.core import answercache as cache
from quartier.core.throttle import hit

logger = logging.getLogger(__name__)

router = Router(tags=["open311"])

# A page holds PAGE_SIZE requests unless the client asks for up to MAX_PAGE_SIZE.
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-07T00:00:00Z"
# The consent recorded for a reporter's address sent by an Open311 client (the client's app
# asked for it; the API key holder vouches for that, see docs/privacy-concerns.md).
OPEN311_CONSENT = gettext_lazy(
    "E-mail address given in the app of an Open311 client so that the reporter gets answers."
)


def open311(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Check the format suffix and turn every failure into the specification's error."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return error("json", 404, _("Unknown format: use .json or .xml."))
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)
        except Exception:
            logger.exception("Open311 %s failed", request.path)
            return error(fmt, 500, _("Something went wrong on our side."))

    return wrapper


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("api:open311_discovery", kwargs={"fmt": "json"}))[
        : -len("discovery.json")
    ].rstrip("/")


@router.get("/discovery.{fmt}", url_name="open311_discovery", summary="Open311 discovery")
@open311
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    data = {
        "changeset": CHANGESET,
        "contact": settings.DEFAULT_FROM_EMAIL,
        "key_service": _("API keys are issued by the platform's administrators."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": _base(request),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, "discovery", data)


def _service(category: Category, with_attributes: bool) -> dict[str, Any]:
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": category.description,
        "metadata": with_attributes,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@router.get("/services.{fmt}", url_name="open311_services", summary="Open311 service list")
@open311
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = Category.objects.filter(is_active=True).prefetch_related("attributes")
    data = [_service(c, bool(c.attributes.all())) for c in categories]
    return respond(fmt, "services", data)


def _category(code: str) -> Category:
    category = Category.objects.filter(slug=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s not found.") % {"code": code[:60]})
    return category


@router.get(
    "/services/{code}.{fmt}", url_name="open311_service", summary="Open311 service definition"
)
@open311
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = _category(code)
    attributes = []
    for order, attribute in enumerate(category.attributes.all(), start=1):
        attributes.append(
            {
                "variable": True,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": "",
                "order": order,
                "description": attribute.description,
                "values": [
                    {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
                    for v in attribute.values or []
                ],
            }
        )
    data = {"service_code": category.slug, "attributes": attributes}
    return respond(fmt, "service_definition", data)


def _w3c(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


REQUEST_COLUMNS = (
    "pk",
    "status",
    "forwarded_to",
    "description",
    "created_at",
    "updated_at",
    "lat",
    "lon",
    "category__name",
    "category__slug",
    "area__name",
    "body__name",
    "organisation__name",
    "notes",
)


def _rows(concerns) -> list[dict[str, Any]]:
    """The requests of a page as the specification's dicts, from plain rows (values): a page
    has up to 1,000 requests, and model instances with four related ones each cost more than
    the rest of the page."""
    notes = (
        Update.objects.filter(concern=OuterRef("pk"), is_public=True)
        .exclude(text="")
        .order_by("-created_at", "-pk")
        .values("text")[:1]
    )
    concerns = concerns.annotate(notes=Subquery(notes)).values_list(*REQUEST_COLUMNS)
    rows = []
    for (
        pk,
        status,
        forwarded_to,
        description,
        created_at,
        updated_at,
        lat,
        lon,
        service_name,
        service_code,
        area_name,
        body_name,
        organisation_name,
        status_notes,
    ) in concerns:
        if status == Status.FORWARDED and forwarded_to:
            agency = forwarded_to
        else:
            agency = body_name or organisation_name or ""
        rows.append(
            {
                "service_request_id": str(pk),
                "status": "closed" if status in CLOSED else "open",
                "detailed_status": status,
                "status_notes": status_notes or "",
                "service_name": service_name,
                "service_code": service_code,
                "description": description,
                "agency_responsible": agency,
                "service_notice": "",
                "requested_datetime": _w3c(created_at),
                "updated_datetime": _w3c(updated_at),
                "expected_datetime": None,
                "address": area_name,
                "address_id": "",
                "zipcode": "",
                "lat": None if lat is None else round(lat, PUBLIC_DECIMALS),
                "long": None if lon is None else round(lon, PUBLIC_DECIMALS),
                "media_url": "",
            }
        )
    return rows


# Dates outside these bounds select the same concerns as the bounds, and cannot overflow
# when converted to UTC (0001-01-01T00:00+01:00) or stored by the database.
EARLIEST = dt.datetime(1000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


def _date(name: str, text: str) -> dt.datetime:
    try:
        value = parse_datetime(text.replace(" ", "+"))
        if value is None:
            day = parse_date(text)
            value = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:  # the shape of a date, but no such day or time (2026-13-01)
        value = None
    if value is None:
        raise Open311Error(
            400, _("%(name)s is not a W3C date and time (2026-01-01T00:00:00Z).") % {"name": name}
        )
    if value.year <= EARLIEST.year:
        return EARLIEST
    if value.year >= LATEST.year:
        return LATEST
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _int(name: str, text: str, *, low: int, high: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        raise Open311Error(400, _("%(name)s must be a whole number in range.") % {"name": name})
    return value


def _filtered(params) -> Any:
    concerns = selectors.public_concerns()
    ids = params.get("service_request_id", "").strip()
    if ids:
        wanted = [_int("service_request_id", part.strip(), low=1) for part in ids.split(",")]
        return concerns.filter(pk__in=wanted)
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        concerns = concerns.filter(category__slug__in=codes)
    if params.get("start_date"):
        concerns = concerns.filter(created_at__gte=_date("start_date", params["start_date"]))
    if params.get("end_date"):
        concerns = concerns.filter(created_at__lte=_date("end_date", params["end_date"]))
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open or closed (or both, comma-separated)."))
    if statuses == {"open"}:
        concerns = concerns.exclude(status__in=CLOSED)
    elif statuses == {"closed"}:
        concerns = concerns.filter(status__in=CLOSED)
    return concerns


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    concerns = _filtered(request.GET).order_by("-pk")
    page = _int("page", request.GET.get("page", "1"), low=1)
    size = _int(
        "page_size", request.GET.get("page_size", str(PAGE_SIZE)), low=1, high=MAX_PAGE_SIZE
    )
    total = concerns.count()
    start = (page - 1) * size
    if request.GET.get("after"):
        # The next link's keyset (an extension): the page starts below the last id of the
        # one before, so the database skips nothing (an OFFSET of 49,000 reads 49,000 rows).
        after = _int("after", request.GET["after"], low=1)
        rows = _rows(concerns.filter(pk__lt=after)[:size])
    else:
        rows = _rows(concerns[start : start + size])
    response = respond(fmt, "service_requests", rows)
    response["X-Total-Count"] = str(total)
    if rows and start + size < total:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        query["page_size"] = str(size)
        query["after"] = rows[-1]["service_request_id"]
        response["Link"] = (
            f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        )
    return response


def _check_attributes(category: Category, data) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for attribute in category.attributes.all():
        key = f"attribute[{attribute.code}]"
        if attribute.datatype == AttributeType.MULTI:
            values = data.getlist(key + "[]") or data.getlist(key)
        else:
            values = [data[key]] if data.get(key, "").strip() else []
        if not values:
            if attribute.required:
                raise Open311Error(
                    400,
                    _("%(key)s is required: %(question)s")
                    % {"key": key, "question": attribute.description},
                )
            continue
        allowed = {str(v.get("key")) for v in attribute.values or []}
        if (
            attribute.datatype in (AttributeType.SINGLE, AttributeType.MULTI)
            and not set(values) <= allowed
        ):
            raise Open311Error(400, _("%(key)s has a value that is not listed.") % {"key": key})
        if attribute.datatype == AttributeType.NUMBER:
            try:
                float(values[0])
            except ValueError as exc:
                raise Open311Error(400, _("%(key)s must be a number.") % {"key": key}) from exc
        value: Any = values if attribute.datatype == AttributeType.MULTI else values[0][:1000]
        answers[attribute.code] = value
    return answers


def _float(name: str, text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name}) from exc


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = data.get("api_key", "")
    client = services.api_client_for_key(key) if key else None
    if key and client is None:
        raise Open311Error(403, _("The api_key is not valid."))
    if client is None and not settings.QUARTIER_OPEN311_ANONYMOUS_POST:
        raise Open311Error(403, _("An api_key is required to post requests."))
    refusal = hit("open311.post", request)
    if refusal is not None:
        response = error(fmt, 429, _("Too many requests. Please try again later."))
        response["Retry-After"] = str(refusal.retry_after)
        return response
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = Category.objects.filter(slug=code, is_active=True).first()
    if category is None:
        raise Open311Error(400, _("service_code %(code)s not found.") % {"code": code[:60]})
    if not (data.get("lat") and data.get("long")):
        raise Open311Error(
            400, _("lat and long are required: they decide which quarter's coordination answers.")
        )
    lat, lon = _float("lat", data["lat"]), _float("long", data["long"])
    attributes = _check_attributes(category, data)
    email = data.get("email", "").strip() if client is not None else ""
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Open311Error(400, _("email is not a valid e-mail address.")) from exc
    try:
        reported = services.concern_report(
            category=category,
            description=data.get("description", ""),
            lat=lat,
            lon=lon,
            address=data.get("address_string", ""),
            attributes=attributes,
            reporter_name=name if email else "",
            reporter_email=email,
            contact_consent=bool(email),
            consent_text=OPEN311_CONSENT,
            source=Source.OPEN311,
            api_client=client,
            language=(data.get("locale") or "de")[:2],
        )
    except ValidationError as exc:
        messages = [
            f"{field}: {message}" if field != "__all__" else message
            for field, items in exc.message_dict.items()
            for message in items
        ]
        raise Open311Error(400, " ".join(messages)) from exc
    concern = reported.concern
    body = [
        {
            "service_request_id": str(concern.pk),
            "token": reported.token,
            "service_notice": _("Your concern has the number %(number)s.")
            % {"number": concern.number},
            "account_id": None,
        }
    ]
    return respond(fmt, "service_requests", body)


@router.api_operation(
    ["GET", "POST"], "/requests.{fmt}", url_name="open311_requests", summary="Open311 requests"
)
@open311
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return cache.cached(request, "open311.requests", lambda: _list(request, fmt))


@router.get("/requests/{pk}.{fmt}", url_name="open311_request", summary="Open311 one request")
@open311
def request_detail(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    number = _int("service_request_id", pk, low=1)
    concerns = Concern.objects.filter(pk=number, area__is_public=True)
    rows = _rows(concerns)
    if not rows:
        raise Open311Error(404, _("service_request_id %(id)s not found.") % {"id": number})
    return respond(fmt, "service_requests", rows)


@router.get("/tokens/{token}.{fmt}", url_name="open311_token", summary="Open311 token")
@open311
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    pk = tokens.concern_id(token)
    if pk is None or not Concern.objects.filter(pk=pk).exists():
        raise Open311Error(404, _("token not found."))
    return respond(fmt, "service_requests", [{"service_request_id": str(pk), "token": token}])
