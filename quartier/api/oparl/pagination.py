"""External object lists as OParl 1.1 pages: `data`, `pagination` and `links`.

Lists are sorted by primary key, which never changes, so the order is stable from request to
request as the specification demands. A page costs two queries (count and slice) plus the
prefetches of its serializer, however long the list is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from quartier.api.oparl.links import absolute
from quartier.api.oparl.params import ListParams

_FILTER_LOOKUPS = {
    "created_since": "created_at__gte",
    "created_until": "created_at__lte",
    "modified_since": "oparl_modified__gte",
    "modified_until": "oparl_modified__lte",
}


def apply_filters(queryset: QuerySet, params: ListParams) -> QuerySet:
    """Restrict to the created/modified window the client asked for."""
    lookups = {_FILTER_LOOKUPS[key]: value for key, value in params.filters.items()}
    return queryset.filter(**lookups) if lookups else queryset


def page(
    request: HttpRequest,
    queryset: QuerySet,
    params: ListParams,
    serialize: Callable[[Iterable[Any]], list[dict[str, Any]]],
) -> dict[str, Any]:
    """One list page; `serialize` turns the page's objects into OParl objects."""
    queryset = apply_filters(queryset, params).order_by("pk")
    total = queryset.count()
    size = params.page_size
    pages = max(1, math.ceil(total / size))
    if params.page > pages:
        # A 404 that says why, through the API's HttpError handler ({"message": ...}).
        raise HttpError(404, _("This list has only %(pages)d page(s).") % {"pages": pages})
    start = (params.page - 1) * size
    objects = list(queryset[start : start + size]) if total else []
    base = absolute(request.path)
    links = {"first": base + params.query(1), "self": base + params.query(params.page)}
    if params.page > 1:
        links["prev"] = base + params.query(params.page - 1)
    if params.page < pages:
        links["next"] = base + params.query(params.page + 1)
    links["last"] = base + params.query(pages)
    return {
        "data": serialize(objects),
        "pagination": {
            "totalElements": total,
            "elementsPerPage": size,
            "currentPage": params.page,
            "totalPages": pages,
        },
        "links": links,
    }
