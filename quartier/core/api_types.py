"""Field types for the JSON API whose OpenAPI description says what they accept."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field


def _iso_only(value: Any) -> Any:
    # pydantic would read a number ("0.5") as a Unix timestamp, which the document's
    # `format: date-time` does not allow; only ISO 8601 text (or a datetime) passes.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("an ISO 8601 date-time is expected")
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
        raise ValueError("an ISO 8601 date-time is expected")
    return value


def in_utc(value: dt.datetime) -> dt.datetime:
    """An aware value in UTC: PostgreSQL refuses offsets beyond ±15:59 ("-17:40" is valid ISO
    8601), and a value at the ends of the calendar that cannot move to UTC is invalid input."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("the date-time lies outside the calendar") from None


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_only), AfterValidator(in_utc)]

UUID_PATTERN = (
    r"^([0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})?$"
)


def uuid_text(**kwargs: Any) -> Any:
    """A query field holding a UUID as text (or nothing): stated as a pattern."""
    return Field(None, pattern=UUID_PATTERN, **kwargs)
