"""Limit/offset pagination for every list API, with bounds the OpenAPI document states.

ninja's own `LimitOffsetPagination` accepts any `offset` (and, without a setting, any
`limit`); 10^20 does not fit the databases' 64-bit integers and the slice fails with a server
error. Here both are bounded, so a larger value is answered 422 like any invalid input.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
# Far beyond any list this platform holds; a larger offset would find nothing anyway.
MAX_OFFSET = 1_000_000


class Pagination(LimitOffsetPagination):
    """`@paginate(Pagination)`: `limit` 1..MAX_LIMIT (default MAX_LIMIT), `offset`
    0..MAX_OFFSET."""

    class Input(Schema):
        limit: int = Field(
            MAX_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}."
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip, from 0.")

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
