"""Writes to offers: editing, the review workflow, pending revisions, verification.

Workflow: a new offer is a draft; its editors submit it for review; a reviewer (see rules.py)
publishes it or sends it back (with a reason). Once published, an editor's edit does not go
live: it is stored as an OfferRevision (the whole edited content as data) and applied only when a
reviewer approves it. Reviewers' own edits apply at once, unless the four-eyes principle is on
(four_eyes.py): then every edit of a published offer waits for a second person. The submitter
(else the organisation's editors) is mailed each decision after the commit (mail.py). Every
service runs in one transaction, so a failed check leaves nothing half-saved and mails nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.core import geocoding
from quartier.core.geocoding import Source
from quartier.directory.models import Organisation
from quartier.offers import four_eyes, mail
from quartier.offers.models import (
    Location,
    Offer,
    OfferLocation,
    OfferRevision,
    ReviewState,
    RevisionState,
    Schedule,
)
from quartier.offers.snapshot import (
    LOCATION_FIELDS,
    M2M_FIELDS,
    OFFER_FIELDS,
    SCHEDULE_FIELDS,
    offer_snapshot,
)


class SaveOutcome(Enum):
    APPLIED = "applied"
    PENDING_REVIEW = "pending_review"


class FourEyesRequired(PermissionDenied):
    """A reviewer tried to publish alone what the four-eyes principle keeps from them."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(four_eyes.explain(reason))

    @property
    def message(self) -> str:
        return str(self.args[0])


def _parse_time(value: Any) -> datetime.time | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.time) else datetime.time.fromisoformat(value)


def _parse_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _stamp(obj: Any, by: Any, reason: str) -> None:
    """Who and why, for django-simple-history's record of this save."""
    obj._history_user = by
    obj._change_reason = reason


_LOCATION_DEFAULTS: dict[str, Any] = {"lat": None, "lon": None, "wheelchair_accessible": False}
_ADDRESS_FIELDS = ("street", "postcode", "city")


@dataclass(frozen=True)
class PositionNote:
    """What became of one location's point on this save, for the editor's message."""

    label: str
    source: str  # a geocoding.Source value, or "" when the address could not be found


def _linked_locations(offer: Offer | None) -> dict[str, Location]:
    if offer is None or offer.pk is None or offer._state.adding:
        return {}
    return {str(link.location_id): link.location for link in offer.offer_locations.all()}


def _geocode_item(item: dict[str, Any]) -> PositionNote | None:
    """Look the item's address up; on success put the point and its source into `item`.
    None when there is no address to look up (a place given by name or city only)."""
    street, postcode, city = (item.get(name) or "" for name in _ADDRESS_FIELDS)
    if not (street or postcode):
        return None
    label = item.get("name") or ", ".join(p for p in (street, f"{postcode} {city}".strip()) if p)
    result = geocoding.geocode(street, postcode, city)
    if result is None:
        return PositionNote(label=label, source="")
    item["lat"], item["lon"], item["position_source"] = result.lat, result.lon, result.source
    return PositionNote(label=label, source=result.source)


def _resolve_item(item: dict[str, Any], stored: Location | None) -> PositionNote | None:
    """Complete one location item's point and `position_source` (in place).

    A point the editor typed or set on the map is theirs ("manual") and stays on later saves,
    whatever the address becomes, until the editor asks for the address's point again
    (`locate`, the form's "Determine the position from the address"). The stored point coming
    back unchanged keeps its source, unless it was found from the address and the address has
    changed since (then it is looked up again). Without a point, an address is geocoded.
    Returns a note when a point was looked up (or could not be), else None.
    """
    if item.pop("locate", False):
        note = _geocode_item(item)
        if note is not None and not note.source:
            # Not found: the point the form shows stays (asked once, not again below).
            lat, lon = item.get("lat"), item.get("lon")
            if lat is None or lon is None:
                item["position_source"] = ""
            elif stored is not None and (float(lat), float(lon)) == (stored.lat, stored.lon):
                item["position_source"] = stored.position_source
            elif item.get("position_source") not in Source.values:
                item["position_source"] = Source.MANUAL
        if note is not None:
            return note
    return _resolve_given_point(item, stored)


def _resolve_given_point(item: dict[str, Any], stored: Location | None) -> PositionNote | None:
    lat, lon = item.get("lat"), item.get("lon")
    has_point = lat is not None and lon is not None
    if has_point and stored is not None and stored.has_point:
        same_point = (float(lat), float(lon)) == (stored.lat, stored.lon)
        same_address = all(
            (item.get(name) or "") == (getattr(stored, name) or "") for name in _ADDRESS_FIELDS
        )
        if same_point and (same_address or stored.position_source in ("", Source.MANUAL)):
            item["position_source"] = stored.position_source
            return None
        if same_point:  # found from the old address: look the new one up
            item["lat"] = item["lon"] = None
            has_point = False
    if has_point:
        if item.get("position_source") not in Source.values:
            item["position_source"] = Source.MANUAL
        return None
    item["position_source"] = ""
    return _geocode_item(item)


def locations_resolve_positions(
    *, offer: Offer | None, items: list[dict[str, Any]]
) -> list[PositionNote]:
    """Give every location of a snapshot that has an address but no point a point (geocoding
    steps in core/geocoding.py) and a `position_source`; change `items` in place.

    The views call it before saving, to tell the editor what happened; `_apply` calls it as
    well, so the API and imports get the same. It writes nothing and may ask the configured
    geocoder, so it runs before any write of the save (no lock is held while it waits)."""
    linked = _linked_locations(offer)
    notes = []
    for item in items:
        note = _resolve_item(item, linked.get(str(item.get("id") or "")))
        if note is not None:
            notes.append(note)
    return notes


def _sync_locations(offer: Offer, items: list[dict[str, Any]]) -> None:
    linked = {str(link.location_id): link.location for link in offer.offer_locations.all()}
    kept: set[str] = set()
    for item in items:
        location = linked.get(str(item.get("id") or ""))
        if location is None:
            location = Location(organisation=offer.organisation)
        for name in LOCATION_FIELDS:
            setattr(location, name, item.get(name, _LOCATION_DEFAULTS.get(name, "")))
        location.full_clean(exclude=["organisation"])
        location.save()
        OfferLocation.objects.get_or_create(offer=offer, location=location)
        kept.add(str(location.pk))
    for location_id, location in linked.items():
        if location_id in kept:
            continue
        OfferLocation.objects.filter(offer=offer, location=location).delete()
        if not location.offer_locations.exists():
            location.delete()


def _replace_schedules(offer: Offer, items: list[dict[str, Any]]) -> None:
    offer.schedules.all().delete()
    for item in items:
        schedule = Schedule(offer=offer)
        for name in SCHEDULE_FIELDS:
            setattr(schedule, name, item.get(name))
        schedule.opens_at = _parse_time(item.get("opens_at"))
        schedule.closes_at = _parse_time(item.get("closes_at"))
        schedule.valid_from = _parse_date(item.get("valid_from"))
        schedule.valid_to = _parse_date(item.get("valid_to"))
        schedule.description = item.get("description") or ""
        schedule.full_clean(exclude=["offer", "location"])
        schedule.save()


def _apply(offer: Offer, data: dict[str, Any], *, by: Any, reason: str) -> None:
    """Write the snapshot `data` onto the offer, its relations, locations and schedules."""
    if data.get("locations"):
        locations_resolve_positions(offer=offer, items=data["locations"])
    for name in OFFER_FIELDS:
        if name in data:
            setattr(offer, name, data[name] if data[name] is not None else _blank(name))
    offer.full_clean(exclude=["organisation", "verified_by"])
    _stamp(offer, by, reason)
    offer.save()
    for name in M2M_FIELDS:
        if name in data:
            model = Offer._meta.get_field(name).related_model
            # Ids that vanished since the edit (a deleted area) are dropped, not an error.
            getattr(offer, name).set(model.objects.filter(pk__in=data[name] or []))
    if "locations" in data:
        _sync_locations(offer, data["locations"] or [])
    if "schedules" in data:
        _replace_schedules(offer, data["schedules"] or [])


def _blank(name: str) -> Any:
    field = Offer._meta.get_field(name)
    return None if field.null else ""


@transaction.atomic
def offer_create(*, organisation: Organisation, data: dict[str, Any], by: Any) -> Offer:
    """Create an offer as a draft of `organisation` (the caller checked offers.add_offer)."""
    offer = Offer(organisation=organisation, review_state=ReviewState.DRAFT)
    _apply(offer, data, by=by, reason=_("created"))
    return offer


def pending_revision(offer: Offer) -> OfferRevision | None:
    return offer.revisions.pending().select_related("submitted_by").first()


@transaction.atomic
def offer_save(*, offer: Offer, data: dict[str, Any], by: Any, language: str = "") -> SaveOutcome:
    """Save an edit. Goes live at once unless an editor (not a reviewer) edits a published offer,
    or anyone does while the four-eyes principle is on; then it becomes the offer's pending
    revision, replacing an older pending one. `language`: the editor's, for the review's mail."""
    if not by.has_perm("offers.change_offer", offer):
        raise PermissionDenied
    if offer.review_state == ReviewState.PUBLISHED and (
        four_eyes.enabled() or not by.has_perm("offers.review_offer", offer)
    ):
        _validate_only(offer, data)
        offer.revisions.pending().update(state=RevisionState.WITHDRAWN)
        OfferRevision.objects.create(offer=offer, data=data, submitted_by=by, language=language)
        four_eyes.forget(offer)
        return SaveOutcome.PENDING_REVIEW
    _apply(offer, data, by=by, reason=_("edited"))
    four_eyes.forget(offer)
    return SaveOutcome.APPLIED


def _validate_only(offer: Offer, data: dict[str, Any]) -> None:
    """Run the checks of _apply without keeping anything, so a revision is always applicable."""
    sid = transaction.savepoint()
    try:
        _apply(Offer.objects.get(pk=offer.pk), data, by=None, reason="")
    finally:
        transaction.savepoint_rollback(sid)


@transaction.atomic
def offer_submit(*, offer: Offer, by: Any, language: str = "") -> None:
    """draft → in review; the submitter (in `language`) hears of the decision."""
    if not by.has_perm("offers.change_offer", offer):
        raise PermissionDenied
    if offer.review_state != ReviewState.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    offer.review_state = ReviewState.IN_REVIEW
    offer.submitted_by = by
    offer.submitted_language = language[:8]
    offer.review_note = ""
    _stamp(offer, by, _("submitted for review"))
    offer.save(
        update_fields=[
            "review_state",
            "submitted_by",
            "submitted_language",
            "review_note",
            "updated_at",
        ]
    )
    four_eyes.forget(offer)


def _check_four_eyes(offer: Offer, by: Any) -> None:
    reason = four_eyes.obstacle(by, offer)
    if reason is not None:
        raise FourEyesRequired(reason)


def _required_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Please tell the editors why: the reason is mailed to them.")}
        )
    return note


@transaction.atomic
def offer_publish(*, offer: Offer, by: Any) -> None:
    """draft or in review → published; publishing counts as verifying the content. Refused
    with FourEyesRequired when the four-eyes principle keeps the reviewer from it."""
    if not by.has_perm("offers.review_offer", offer):
        raise PermissionDenied
    if offer.review_state == ReviewState.PUBLISHED:
        raise ValidationError(_("The offer is already published."))
    _check_four_eyes(offer, by)
    was_submitted = offer.review_state == ReviewState.IN_REVIEW
    offer.review_state = ReviewState.PUBLISHED
    offer.last_verified = timezone.localdate()
    offer.verified_by = by
    offer.review_note = ""
    _stamp(offer, by, _("published"))
    offer.save(
        update_fields=["review_state", "last_verified", "verified_by", "review_note", "updated_at"]
    )
    four_eyes.forget(offer)
    mail.notify_decision(
        offer,
        mail.PUBLISHED,
        by=by,
        submitter_id=offer.submitted_by_id if was_submitted else None,
        language=offer.submitted_language,
        note="",
    )


@transaction.atomic
def offer_return_to_draft(*, offer: Offer, by: Any, note: str) -> None:
    """in review → draft (the reviewer asks for changes), or unpublish a published offer.
    The reason is required: it is kept on the offer and mailed to the editors."""
    if not by.has_perm("offers.review_offer", offer):
        raise PermissionDenied
    note = _required_note(note)
    if offer.review_state == ReviewState.DRAFT:
        raise ValidationError(_("The offer is already a draft."))
    was_published = offer.review_state == ReviewState.PUBLISHED
    offer.review_state = ReviewState.DRAFT
    offer.review_note = note
    _stamp(offer, by, note[:100])
    offer.save(update_fields=["review_state", "review_note", "updated_at"])
    four_eyes.forget(offer)
    mail.notify_decision(
        offer,
        mail.TAKEN_OFFLINE if was_published else mail.RETURNED,
        by=by,
        submitter_id=None if was_published else offer.submitted_by_id,
        language=offer.submitted_language,
        note=note,
    )


@transaction.atomic
def revision_approve(*, revision: OfferRevision, by: Any) -> None:
    """Apply a pending revision to its offer (FourEyesRequired as for offer_publish)."""
    offer = revision.offer
    if not by.has_perm("offers.review_offer", offer):
        raise PermissionDenied
    if revision.state != RevisionState.PENDING:
        raise ValidationError(_("This change has already been dealt with."))
    _check_four_eyes(offer, by)
    _apply(offer, revision.data, by=by, reason=_("change approved"))
    offer.last_verified = timezone.localdate()
    offer.verified_by = by
    offer.save(update_fields=["last_verified", "verified_by"])
    revision.state = RevisionState.APPROVED
    revision.reviewed_by = by
    revision.reviewed_at = timezone.now()
    revision.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    four_eyes.forget(offer)
    mail.notify_decision(
        offer,
        mail.CHANGE_PUBLISHED,
        by=by,
        submitter_id=revision.submitted_by_id,
        language=revision.language,
        note="",
    )


@transaction.atomic
def revision_reject(*, revision: OfferRevision, by: Any, note: str) -> None:
    """Turn a pending change down, with the reason (required) for its submitter."""
    if not by.has_perm("offers.review_offer", revision.offer):
        raise PermissionDenied
    note = _required_note(note)
    if revision.state != RevisionState.PENDING:
        raise ValidationError(_("This change has already been dealt with."))
    revision.state = RevisionState.REJECTED
    revision.reviewed_by = by
    revision.reviewed_at = timezone.now()
    revision.review_note = note
    revision.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    four_eyes.forget(revision.offer)
    mail.notify_decision(
        revision.offer,
        mail.CHANGE_REJECTED,
        by=by,
        submitter_id=revision.submitted_by_id,
        language=revision.language,
        note=note,
    )


@transaction.atomic
def offer_verify(*, offer: Offer, by: Any) -> None:
    """ "Still current": the editor or reviewer confirms the content as it is."""
    if not by.has_perm("offers.change_offer", offer):
        raise PermissionDenied
    offer.last_verified = timezone.localdate()
    offer.verified_by = by
    offer.stale_reminder_sent_at = None
    _stamp(offer, by, _("confirmed as current"))
    offer.save(update_fields=["last_verified", "verified_by", "stale_reminder_sent_at"])


__all__ = [
    "FourEyesRequired",
    "SaveOutcome",
    "offer_create",
    "offer_publish",
    "offer_return_to_draft",
    "offer_save",
    "offer_snapshot",
    "offer_submit",
    "offer_verify",
    "pending_revision",
    "revision_approve",
    "revision_reject",
]
