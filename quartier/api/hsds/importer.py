"""HSDS rows → our catalogue, in one transaction: all of it or nothing.

Idempotent by HSDS id: offers, locations, offers-at-locations, schedules and taxonomy terms keep
the HSDS id as their primary key; organisations and contacts find theirs in ExternalId. Rows go
in with bulk operations (see bench/hsds_import.py for the speed). Bulk writes bypass the
version history of offers and locations: the import itself is the recorded change.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from quartier.api.hsds import ids
from quartier.api.hsds.importer_parts import (
    Context,
    write_contacts,
    write_organisations,
    write_relations,
    write_schedules,
    write_taxonomies,
)
from quartier.api.hsds.models import ExternalId
from quartier.api.hsds.validate import (
    ImportFailed,
    Report,
    Tables,
    check_fields,
    check_references,
)
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

STATUS_FROM_HSDS = {
    "active": OfferStatus.ACTIVE,
    "temporarily closed": OfferStatus.PAUSED,
    "inactive": OfferStatus.ENDED,
    "defunct": OfferStatus.ENDED,
}
Progress = Callable[[int], None]
CHUNK = 2_000


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
        return {
            str(v) for v in models[table].objects.filter(pk__in=uuids).values_list("pk", flat=True)
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


def validate(tables: Tables) -> Report:
    report = Report()
    check_fields(tables, report)
    check_references(tables, report, _in_db)
    return report


@transaction.atomic
def hsds_import(*, tables: Tables, publish: bool, progress: Progress | None = None) -> Report:
    """Import HSDS tables; raise ImportFailed (nothing written) when any row is bad.

    `publish`: imported offers become published (for users who may publish, such as admins
    running the command); otherwise they go to review, existing ones included.
    """
    report = validate(tables)
    if report.errors:
        raise ImportFailed(report)
    ctx = Context(tables=tables, report=report, publish=publish)
    write_taxonomies(ctx)
    write_organisations(ctx)
    _write_locations(ctx)
    services = tables.get("services", [])
    for start in range(0, len(services), CHUNK):
        _write_offers(ctx, services[start : start + CHUNK])
        if progress:
            progress(len(services[start : start + CHUNK]))
    _write_links(ctx)
    write_schedules(ctx)
    write_relations(ctx)
    write_contacts(ctx)
    return report


def _write_locations(ctx: Context) -> None:
    address = {r["location_id"]: r for r in ctx.tables.get("addresses", []) if r.get("location_id")}
    access = defaultdict(list)
    for r in ctx.tables.get("accessibility", []):
        if r.get("location_id") and r.get("description"):
            access[r["location_id"]].append(r["description"])
    wheelchair = ctx.attribute_links(ids.WHEELCHAIR)
    objs = []
    for r in ctx.tables.get("locations", []):
        a = address.get(r["id"], {})
        objs.append(
            Location(
                id=uuid.UUID(r["id"]),
                name=r["name"],
                transport=r["transportation"],
                organisation_id=ctx.org_pks.get(r.get("organization_id") or ""),
                street=a.get("address_1", ""),
                postcode=a.get("postal_code", ""),
                city=a.get("city", ""),
                lat=r["latitude"],
                lon=r["longitude"],
                accessibility="\n".join(access.get(r["id"], [])),
                wheelchair_accessible=r["id"] in wheelchair,
            )
        )
    fields = [
        "organisation",
        "name",
        "street",
        "postcode",
        "city",
        "lat",
        "lon",
        "wheelchair_accessible",
        "accessibility",
        "transport",
        "updated_at",
    ]
    Location.objects.bulk_create(
        objs, update_conflicts=True, unique_fields=["id"], update_fields=fields, batch_size=500
    )
    ctx.report.counts["locations"] = len(objs)


def _write_offers(ctx: Context, rows: list) -> None:
    phones = ctx.first_by("phones", "service_id")
    costs = ctx.first_by("cost_options", "service_id")
    access = {field: ctx.attribute_links(code) for code, field in ids.ACCESS_CODES.items()}
    easy = ctx.attribute_values(ids.EASY_LANGUAGE)
    state = ReviewState.PUBLISHED if ctx.publish else ReviewState.IN_REVIEW
    objs, modified = [], {}
    for r in rows:
        option = (costs.get(r["id"]) or {}).get("option", "")
        offer = Offer(
            id=uuid.UUID(r["id"]),
            organisation_id=ctx.org_pks[r["organization_id"]],
            name=r["name"],
            alternate_name=r["alternate_name"],
            description=r["description"],
            url=r["url"],
            email=r["email"],
            phone=(phones.get(r["id"]) or {}).get("number", ""),
            status=STATUS_FROM_HSDS[r["status"]],
            review_state=state,
            cost=option if option in Cost.values else Cost.FREE,
            fees_description=r["fees_description"],
            application_process=r["application_process"],
            min_age=_int(r["minimum_age"]),
            max_age=_int(r["maximum_age"]),
            last_verified=r["assured_date"],
            easy_language_description=easy.get(r["id"], ""),
            **{field: r["id"] in links for field, links in access.items()},
        )
        objs.append(offer)
        if r["last_modified"]:
            modified[offer.id] = _aware(r["last_modified"])
    fields = [
        "organisation",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "phone",
        "status",
        "review_state",
        "cost",
        "fees_description",
        "application_process",
        "min_age",
        "max_age",
        "last_verified",
        "easy_language_description",
        "access_walk_in",
        "access_appointment",
        "access_referral",
        "updated_at",
    ]
    Offer.objects.bulk_create(
        objs, update_conflicts=True, unique_fields=["id"], update_fields=fields, batch_size=500
    )
    # The source's modification time survives (auto_now set "now" above): exports stay stable.
    for obj in objs:
        if obj.id in modified:
            obj.updated_at = modified[obj.id]
    Offer.objects.bulk_update([o for o in objs if o.id in modified], ["updated_at"], batch_size=500)
    ctx.report.counts["services"] = ctx.report.counts.get("services", 0) + len(objs)


def _write_links(ctx: Context) -> None:
    offer_ids = ctx.offer_ids()
    OfferLocation.objects.filter(offer_id__in=offer_ids).delete()
    objs = [
        OfferLocation(
            id=uuid.UUID(r["id"]),
            offer_id=uuid.UUID(r["service_id"]),
            location_id=uuid.UUID(r["location_id"]),
            description=r["description"],
        )
        for r in ctx.tables.get("service_at_locations", [])
    ]
    OfferLocation.objects.bulk_create(objs, batch_size=500)
    ctx.report.counts["service_at_locations"] = len(objs)


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _aware(value):
    return value if timezone.is_aware(value) else timezone.make_aware(value, timezone.utc)


def unique_slug(name: str, hsds_id: str, max_length: int) -> str:
    base = slugify(name)[: max_length - 9] or "hsds"
    return f"{base}-{hsds_id[:8]}"


__all__ = ["ImportFailed", "Report", "_", "hsds_import", "unique_slug", "validate"]
