"""Query parameters of OParl list endpoints: date-time filters and page selection.

OParl 1.1 (chapter "Objektlisten und Paginierung") asks every external list to support
`created_since`, `created_until`, `modified_since` and `modified_until` with a full date-time,
and lets clients ask for a page size with `elementsPerPage` (the server may ignore it).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

DATE_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000_000
# What a client may ask for as elementsPerPage (it gets at most MAX_PAGE_SIZE); above: 422.
MAX_ELEMENTS_ASKED = 10**9

# A '+' in a query string decodes to a space when a client forgets to encode the offset
# ("...T10:00:00 01:00"); the offset is restored instead of rejecting the value.
_SPACE_OFFSET = re.compile(r"^(.*T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")
_HAS_TIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def parse_datetime(value: str) -> datetime.datetime:
    """An aware datetime from an ISO 8601 date-time; naive values are in the site time zone.

    Raises ValueError with a message for the client when the value is not a full date-time.
    """
    text = value.strip()
    text = _SPACE_OFFSET.sub(r"\1+\2", text)
    if not _HAS_TIME.match(text):
        raise ValueError(
            _("Give a full date-time with a time of day, such as 2024-01-31T18:00:00+01:00.")
        )
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("This is not a date-time in ISO 8601 form, such as 2024-01-31T18:00:00+01:00.")
        ) from None
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        utc = parsed.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ValueError(_("This date-time lies outside the calendar.")) from None
    # PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows: those move to UTC.
    offset = parsed.utcoffset()
    if offset is not None and abs(offset) >= datetime.timedelta(hours=16):
        return utc
    return parsed


@dataclass
class ListParams:
    """The validated parameters of one list request; `query()` rebuilds them for links."""

    filters: dict[str, datetime.datetime] = field(default_factory=dict)
    raw_filters: dict[str, str] = field(default_factory=dict)
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    page_size_asked: bool = False

    def query(self, page: int) -> str:
        """A canonical query string: parameters in a fixed order, so each page has one URL."""
        parts = [(key, self.raw_filters[key]) for key in DATE_FILTERS if key in self.raw_filters]
        if self.page_size_asked:
            parts.append(("elementsPerPage", str(self.page_size)))
        if page > 1:
            parts.append(("page", str(page)))
        query = QueryDict(mutable=True)
        for key, value in parts:
            query[key] = value
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else ""


def parse_list_params(query: QueryDict) -> ListParams:
    """Validate the list parameters; raises ValidationError naming each bad field."""
    params = ListParams()
    errors: dict[str, list[str]] = {}
    for key in DATE_FILTERS:
        value = query.get(key)
        if value is None:
            continue
        try:
            params.filters[key] = parse_datetime(value)
        except ValueError as exc:
            errors[key] = [str(exc)]
        else:
            params.raw_filters[key] = params.filters[key].isoformat()
    if "page" in query:
        try:
            params.page = _positive_int(query["page"], MAX_PAGE)
        except ValueError:
            errors["page"] = [_("The page is a whole number from 1.")]
    if "elementsPerPage" in query:
        try:
            # Larger wishes are capped: the specification lets the server decide the size.
            params.page_size = min(
                _positive_int(query["elementsPerPage"], MAX_ELEMENTS_ASKED), MAX_PAGE_SIZE
            )
            params.page_size_asked = True
        except ValueError:
            errors["elementsPerPage"] = [_("The page size is a whole number from 1.")]
    if errors:
        raise ValidationError(errors)
    return params


def _positive_int(value: str, upper: int) -> int:
    number = int(value.strip())
    if number < 1 or number > upper:
        raise ValueError(value)
    return number
