"""HSDS rows → our catalogue, in one transaction: all of it or nothing.

Idempotent by HSDS id: offers, locations, offers-at-locations, schedules and taxonomy terms keep
the HSDS id as their primary key; organisations and contacts find theirs in ExternalId. Rows go
in with bulk operations (see bench/hsds_import.py for the speed). Bulk writes bypass the
version history of offers and locations: the import itself is the recorded change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartier.api.hsds import fastsql, ids, kept
from quartier.api.hsds.importer_parts import (
    Context,
    write_contacts,
    write_organisations,
    write_relations,
    write_schedules,
    write_taxonomies,
)
from quartier.api.hsds.models import ExternalId
from quartier.api.hsds.models import Kept as KeptRow
from quartier.api.hsds.validate import (
    ImportFailed,
    Report,
    Tables,
    check_fields,
    check_references,
)
from quartier.core import pagecache
from quartier.core.text import german_slug
from quartier.offers.models import (
    Cost,
    Location,
    Offer,
    OfferLocation,
    OfferStatus,
    ReviewState,
    Taxonomy,
    TaxonomyTerm,
)
from quartier.search.services import offers_index, vocabulary_invalidate

STATUS_FROM_HSDS = {
    "active": OfferStatus.ACTIVE,
    "temporarily closed": OfferStatus.PAUSED,
    "inactive": OfferStatus.ENDED,
    "defunct": OfferStatus.ENDED,
}
# Called with the step ("read", "check", "write" or "index", see STEPS), how much of it is
# done and its total (files, rows or offers).
Progress = Callable[[str, int, int], None]
STEPS = {
    "read": (gettext_lazy("Reading"), gettext_lazy("files")),
    "check": (gettext_lazy("Checking"), gettext_lazy("rows")),
    "write": (gettext_lazy("Writing"), gettext_lazy("rows")),
    "index": (gettext_lazy("Search index"), gettext_lazy("offers")),
}
CHUNK = 2_000
INDEX_CHUNK = 2_000


def _in_db(table: str, values: set[str]) -> set[str]:
    """Which of these HSDS ids the database already holds (for references to earlier imports)."""
    uuids = [v for v in values if ids.parse_uuid(v)]
    models = {
        "services": Offer,
        "locations": Location,
        "service_at_locations": OfferLocation,
        "taxonomies": Taxonomy,
        "taxonomy_terms": TaxonomyTerm,
    }
    if table in models:
        # The values are canonical lower-case ids (see check_fields): the ones found come back
        # as given, as str() of the stored UUIDs would give them.
        return fastsql.existing(models[table], uuids)
    if table in kept.OTHER_TABLES:
        return {
            str(v)
            for v in KeptRow.objects.filter(table=table, hsds_id__in=uuids).values_list(
                "hsds_id", flat=True
            )
        }
    if table == "organizations":
        found = {
            str(v)
            for v in ExternalId.objects.filter(
                kind=ExternalId.Kind.ORGANIZATION, hsds_id__in=uuids
            ).values_list("hsds_id", flat=True)
        }
        from quartier.directory.models import Organisation

        encoded = {v: ids.organisation_pk(v) for v in values if ids.organisation_pk(v)}
        existing = set(
            Organisation.objects.filter(pk__in=encoded.values()).values_list("pk", flat=True)
        )
        return found | {v for v, pk in encoded.items() if pk in existing}
    return set()


def validate(tables: Tables, progress: Progress | None = None) -> Report:
    report = Report()
    check_fields(tables, report, progress=progress)
    check_references(tables, report, _in_db)
    return report


def leave_out_invalid(tables: Tables, report: Report) -> None:
    """Remove the rows with errors, then the rows that referred to them, until every reference
    holds; count them in report.skipped. Raise ImportFailed if an error belongs to no row."""
    bad = {id(p.record) for p in report.errors if p.record is not None}
    rows_known = {id(r) for rows in tables.values() for r in rows}
    if any(p.record is None or id(p.record) not in rows_known for p in report.errors):
        raise ImportFailed(report)
    while bad:
        for table in list(tables):
            rows = tables[table]
            kept = [r for r in rows if id(r) not in bad]
            if len(kept) < len(rows):
                report.skipped[table] = report.skipped.get(table, 0) + len(rows) - len(kept)
                tables[table] = kept
        again = Report()
        check_references(tables, again, _in_db)
        report.problems.extend(again.errors)
        bad = {id(p.record) for p in again.errors if p.record is not None}


@transaction.atomic
def hsds_import(
    *,
    tables: Tables,
    publish: bool,
    progress: Progress | None = None,
    index: bool = True,
    skip_invalid: bool = False,
) -> Report:
    """Import HSDS tables; raise ImportFailed (nothing written) when any row is bad.

    `skip_invalid`: import the valid rows instead, leaving out the bad ones and the rows that
    refer to them (every one of them stays listed in the report, and counted in `skipped`).

    `publish`: imported offers become published (for users who may publish, such as admins
    running the command); otherwise they go to review, existing ones included. `index`: update
    the search index at the end (only the benchmark turns it off, to time it on its own).
    """
    step = progress or (lambda _step, _done, _total: None)
    kept.snapshot(tables)
    report = validate(tables, progress=step)
    if report.errors and skip_invalid:
        leave_out_invalid(tables, report)
    elif report.errors:
        raise ImportFailed(report)
    ctx = Context(tables=tables, report=report, publish=publish)
    ctx.earlier_offer_ids()  # asked before the offers are written
    total, done = sum(len(rows) for rows in tables.values()), 0

    def written(*names: str) -> None:
        nonlocal done
        done += sum(len(tables.get(name, [])) for name in names)
        step("write", min(done, total), total)

    written()  # the bar starts before the first rows are written
    write_taxonomies(ctx)
    written("taxonomies", "taxonomy_terms")
    write_organisations(ctx)
    written("organizations")
    _write_locations(ctx)
    written("locations", "addresses", "accessibility")
    services = tables.get("services", [])
    for start in range(0, len(services), CHUNK):
        _write_offers(ctx, services[start : start + CHUNK])
        done += len(services[start : start + CHUNK])
        written()
    written("phones", "cost_options")
    _write_links(ctx)
    written("service_at_locations")
    write_schedules(ctx)
    written("schedules")
    write_relations(ctx)
    written("attributes", "languages", "service_areas")
    write_contacts(ctx)
    written("contacts")
    ctx.made["costs"] = set(Cost.values)
    kept.keep(tables, ctx.made)
    written(*kept.OTHER_TABLES)
    # Bulk writes send no signals: tell the search processes that topics and languages may
    # have changed, and bring the search index up to date, in the same transaction; cached
    # public pages are out of date once it commits.
    vocabulary_invalidate()
    pagecache.bump_after_commit()
    offer_ids = ctx.offer_ids() if index else []
    if offer_ids:
        step("index", 0, len(offer_ids))
    for start in range(0, len(offer_ids), INDEX_CHUNK):
        offers_index(offer_ids=offer_ids[start : start + INDEX_CHUNK])
        step("index", min(start + INDEX_CHUNK, len(offer_ids)), len(offer_ids))
    for table, rows in tables.items():
        report.counts.setdefault(table, len(rows))
    return report


def _write_locations(ctx: Context) -> None:
    address = {r["location_id"]: r for r in ctx.tables.get("addresses", []) if r.get("location_id")}
    access = defaultdict(list)
    for r in ctx.tables.get("accessibility", []):
        if r.get("location_id") and r.get("description"):
            access[r["location_id"]].append(r["description"])
    wheelchair = ctx.attribute_links(ids.WHEELCHAIR)
    now = timezone.now()
    rows = []
    for r in ctx.tables.get("locations", []):
        a = address.get(r["id"], {})
        rows.append(
            {
                "id": r["id"],
                "created_at": now,
                "updated_at": now,
                "organisation_id": ctx.org_pks.get(r.get("organization_id") or ""),
                "name": r["name"],
                "street": a.get("address_1", ""),
                "postcode": a.get("postal_code", ""),
                "city": a.get("city", ""),
                "lat": r["latitude"],
                "lon": r["longitude"],
                "wheelchair_accessible": r["id"] in wheelchair,
                "accessibility": "\n".join(access.get(r["id"], [])),
                "transport": r["transportation"],
            }
        )
    fastsql.insert_rows(
        Location,
        rows,
        update=[k for k in rows[0] if k not in ("id", "created_at")] if rows else None,
    )
    ctx.report.counts["locations"] = len(rows)


def _write_offers(ctx: Context, rows: list) -> None:
    phones = ctx.first_by("phones", "service_id")
    costs = ctx.first_by("cost_options", "service_id")
    access = {field: ctx.attribute_links(code) for code, field in ids.ACCESS_CODES.items()}
    easy = ctx.attribute_values(ids.EASY_LANGUAGE)
    state = ReviewState.PUBLISHED if ctx.publish else ReviewState.IN_REVIEW
    cost_values = set(Cost.values)
    now = timezone.now()
    values = []
    for r in rows:
        option = (costs.get(r["id"]) or {}).get("option", "")
        values.append(
            {
                "id": r["id"],
                "created_at": now,
                # The source's modification time survives, so exports stay stable.
                "updated_at": _aware(r["last_modified"]) if r["last_modified"] else now,
                "organisation_id": ctx.org_pks[r["organization_id"]],
                "name": r["name"],
                "alternate_name": r["alternate_name"],
                "description": r["description"],
                "url": r["url"],
                "email": r["email"],
                "phone": (phones.get(r["id"]) or {}).get("number", ""),
                "status": STATUS_FROM_HSDS[r["status"]],
                "review_state": state,
                "cost": option if option in cost_values else Cost.FREE,
                "fees_description": r["fees_description"],
                "application_process": r["application_process"],
                "min_age": _int(r["minimum_age"]),
                "max_age": _int(r["maximum_age"]),
                "last_verified": r["assured_date"],
                "easy_language_description": easy.get(r["id"], ""),
                **{field: r["id"] in links for field, links in access.items()},
            }
        )
    if values:
        keep = ("id", "created_at", "last_verified_by")
        fastsql.insert_rows(Offer, values, update=[k for k in values[0] if k not in keep])
    ctx.report.counts["services"] = ctx.report.counts.get("services", 0) + len(values)


def _write_links(ctx: Context) -> None:
    fastsql.delete_where_in(OfferLocation, "offer_id", ctx.earlier_offer_ids())
    rows = [
        {
            "id": r["id"],
            "offer_id": r["service_id"],
            "location_id": r["location_id"],
            "description": r["description"],
        }
        for r in ctx.tables.get("service_at_locations", [])
    ]
    fastsql.insert_rows(OfferLocation, rows)
    ctx.report.counts["service_at_locations"] = len(rows)


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _aware(value):
    return value if timezone.is_aware(value) else timezone.make_aware(value, timezone.utc)


def unique_slug(name: str, hsds_id: str, max_length: int) -> str:
    base = german_slug(name)[: max_length - 9] or "hsds"
    return f"{base}-{hsds_id[:8]}"


__all__ = ["ImportFailed", "Report", "_", "hsds_import", "unique_slug", "validate"]
