"""HSDS identifiers: derived ids for rows our models do not store as records of their own.

An offer's phone, cost option or language link has no row of its own in our database, so its
HSDS id is derived (uuid5) from the owner's id: the same data always exports the same ids.
"""

from __future__ import annotations

import re
import uuid

NAMESPACE = uuid.UUID("6f1c3e0a-4d1b-5b7e-9a63-2f7c1d0e8a41")

# Quartier's extension vocabulary: things HSDS has no field for travel as attributes whose
# taxonomy term comes from this taxonomy (never stored as a TaxonomyTerm).
EXTENSION_TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:quartier")
TARGET_GROUP_PREFIX = "target_group:"
ACCESS_CODES = {
    "access:walk_in": "access_walk_in",
    "access:appointment": "access_appointment",
    "access:referral": "access_referral",
}
EASY_LANGUAGE = "easy_language"
WHEELCHAIR = "wheelchair"
CLOSED = "schedule:closed"


def derived(owner: object, part: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{owner}:{part}"))


def extension_term_id(code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"term:{code}"))


# Organisations without a stored HSDS id get one that encodes their key, so that
# /organizations/{id} finds them without a table scan.
ORGANISATION_PREFIX = "5a7c0e1d-9b3f-4c2a-8e6d-"


def organisation_default(pk: int) -> str:
    return f"{ORGANISATION_PREFIX}{pk:012x}"


def organisation_pk(hsds_id: str) -> int | None:
    """The key encoded in a default organisation id, or None."""
    if not hsds_id.lower().startswith(ORGANISATION_PREFIX):
        return None
    try:
        return int(hsds_id[len(ORGANISATION_PREFIX) :], 16)
    except ValueError:
        return None


def contact_default(person_pk: int, offer_id: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"contact:{person_pk}:{offer_id}"))


def parse_uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _uuid_column_re(hex_digit: str) -> re.Pattern[str]:
    one = "-".join(f"{hex_digit}{{{n}}}" for n in (8, 4, 4, 4, 12))
    return re.compile(rf"(?:{one}\n)*{one}")


# A whole column of canonical UUIDs, one per line: one regex call checks them all.
UUID_COLUMN_RE = _uuid_column_re("[0-9a-f]")
ANY_CASE_UUID_COLUMN_RE = _uuid_column_re("[0-9a-fA-F]")


def is_uuid_column(column: str, count: int, *, any_case: bool = False) -> bool:
    """Whether `column` holds exactly `count` canonical UUIDs, one a line (the ids joined with
    "\\n"); lower-case hex digits only unless `any_case`."""
    pattern = ANY_CASE_UUID_COLUMN_RE if any_case else UUID_COLUMN_RE
    return pattern.fullmatch(column) is not None and column.count("\n") == count - 1
