"""Writes of concerns: report, route, answer, change status, forward, merge, put on an agenda,
purge contact data. Keyword-only, atomic; mails are queued after the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.areas.models import Area
from quartier.areas.selectors import descendant_ids
from quartier.concerns import mail, photos, selectors, tokens
from quartier.concerns.models import (
    CLOSED,
    ApiClient,
    Category,
    Concern,
    CoordinatorSetting,
    Photo,
    Source,
    Status,
    Update,
    hash_key,
    new_key,
)
from quartier.core import consent, geo, geocoding, pagecache
from quartier.core.tasks import enqueue_on_commit
from quartier.networks.models import Meeting
from quartier.networks.services import agenda_item_propose

MAX_DESCRIPTION = 5000
MIN_DESCRIPTION = 10
MAX_PHOTOS = 3


@dataclass(frozen=True)
class Reported:
    concern: Concern
    token: str  # the tracking link's token (also Open311's token)


def _clean(text: str) -> str:
    """Without NUL characters, which PostgreSQL cannot store (the web form refuses them; an
    Open311 client may send them)."""
    return (text or "").replace("\x00", "")


def check_description(text: str) -> str:
    text = _clean(text).strip()
    if len(text) < MIN_DESCRIPTION:
        raise ValidationError(
            {"description": _("Please describe the concern in a few words (at least 10 letters).")}
        )
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            {
                "description": _(
                    "The description may have at most %(max)s characters; it has %(n)s. "
                    "Please shorten it."
                )
                % {"max": MAX_DESCRIPTION, "n": len(text)}
            }
        )
    return text


def place_area(*, lat: float | None, lon: float | None, area: Area | None) -> Area:
    """The area of a concern: the smallest public area around the point, else the chosen one.

    A point outside every area the platform covers is refused (ValidationError on `place`).
    """
    if lat is not None and lon is not None:
        try:
            geo.validate_lat_lon(lat, lon)
        except (ValidationError, ValueError) as exc:
            raise ValidationError({"place": _("The place is not a valid position.")}) from exc
        found = selectors.locate(lat, lon)
        if found is None:
            raise ValidationError(
                {
                    "place": _(
                        "This place lies outside the areas this platform covers. Please choose "
                        "a place inside one of them, or choose the area instead."
                    )
                }
            )
        return found
    if lat is not None or lon is not None:
        raise ValidationError({"place": _("A place needs both latitude and longitude.")})
    if area is None:
        raise ValidationError({"area": _("Please choose the area, or mark the place on the map.")})
    if not area.is_public:
        raise ValidationError({"area": _("Please choose one of the listed areas.")})
    return area


def place_from_address(
    *, address: str, area: Area | None
) -> tuple[float | None, float | None, Area | None]:
    """A resident gave an address but no point: find one (core/geocoding.py).

    A point found from the address itself (a known place, the geocoder) becomes the concern's
    point when it lies in an area the platform covers (inside the chosen area, if one was
    chosen). A postcode centre is too coarse for a point on the public map: it only chooses the
    area when the resident chose none. Nothing found, or found elsewhere: as before, the chosen
    area (or the form's "choose the area" message). Never refuses the concern itself.

    The text may be the resident's own address: it goes to the configured geocoder only when
    QUARTIER_GEOCODER_CONCERNS is on (for a geocoder the operator runs; docs/privacy-concerns.md).
    """
    external = getattr(settings, "QUARTIER_GEOCODER_CONCERNS", False)
    result = geocoding.geocode(*geocoding.split_address(address), external=external)
    if result is None:
        return None, None, area
    found = selectors.locate(result.lat, result.lon)
    if found is None or (area is not None and found.pk not in descendant_ids([area.pk])):
        return None, None, area
    if result.source in geocoding.ESTIMATED:
        return None, None, area or found
    return result.lat, result.lon, found


@transaction.atomic
def concern_report(
    *,
    category: Category,
    description: str,
    area: Area | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    attributes: dict | None = None,
    uploads: Sequence = (),
    reporter_name: str = "",
    reporter_email: str = "",
    contact_consent: bool = False,
    consent_text: str = "",
    source: str = Source.WEB,
    api_client: ApiClient | None = None,
    language: str = "de",
) -> Reported:
    """Store a new concern, route it, keep its photos (re-encoded) and queue the mails.

    Contact data is stored only with consent to replies; without consent it is dropped. A
    category no longer active is refused. Raises ValidationError keyed by field, with nothing
    stored.
    """
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    text = check_description(description)
    if lat is None and lon is None and address.strip():
        # Before any write: the geocoder (if configured) may take a few seconds.
        lat, lon, area = place_from_address(address=address, area=area)
    where = place_area(lat=lat, lon=lon, area=area)
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("Please send at most %(n)s photos.") % {"n": MAX_PHOTOS}}
        )
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(photos.reencode(upload))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    if not contact_consent:
        reporter_name = reporter_email = ""
    elif not reporter_email:
        raise ValidationError(
            {"reporter_email": _("Please give an e-mail address for replies, or untick it.")}
        )
    rule = selectors.route(area=where, category=category)
    concern = Concern.objects.create(
        category=category,
        description=text,
        area=where,
        lat=lat,
        lon=lon,
        address=_clean(address).strip()[:300],
        attributes=attributes or {},
        source=source,
        api_client=api_client,
        reporter_name=_clean(reporter_name).strip()[:150],
        reporter_email=reporter_email.strip().lower(),
        contact_consent=contact_consent,
        language=(language or "de")[:10],
        body=rule.body if rule else None,
        organisation=rule.organisation if rule else None,
        person=rule.person if rule else None,
        flagged=rule is None,
        status_changed_at=timezone.now(),
    )
    if api_client is not None:
        ApiClient.objects.filter(pk=api_client.pk).update(last_used_at=timezone.now())
    for content, width, height in cleaned:
        photo = Photo(concern=concern, width=width, height=height)
        photo.image.save("photo.jpg", content, save=True)
    Update.objects.create(concern=concern, status=Status.RECEIVED, is_public=True)
    if concern.contact_consent and consent_text:
        consent.record(concern, purpose="concerns.reporter", text=consent_text)
    if concern.contact_consent:
        enqueue_on_commit(mail.send_receipt, concern.pk)
    enqueue_on_commit(mail.notify_new, concern.pk)
    return Reported(concern=concern, token=tokens.track_token(concern))


def _record(concern: Concern, *, user, status: str = "", text: str = "", is_public: bool) -> Update:
    update = Update.objects.create(
        concern=concern, author=user, status=status, text=text.strip(), is_public=is_public
    )
    if is_public and concern.contact_consent and concern.reporter_email:
        enqueue_on_commit(mail.send_update, update.pk)
    return update


@transaction.atomic
def concern_set_status(
    *,
    concern: Concern,
    status: str,
    user,
    note: str = "",
    note_public: bool = True,
    forwarded_to: str = "",
    forwarded_on: dt.date | None = None,
) -> Update:
    """Change the status with an optional note (public by default); a forward needs its
    target and date (default today). Merging goes through concern_merge."""
    if status not in Status.values or status == Status.MERGED:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == Status.MERGED:
        raise ValidationError(_("This concern was merged into another; change that one."))
    fields = ["status", "status_changed_at", "closed_at", "updated_at"]
    if status == Status.FORWARDED:
        if not forwarded_to.strip():
            raise ValidationError({"forwarded_to": _("Say where the concern was forwarded to.")})
        concern.forwarded_to = forwarded_to.strip()[:300]
        concern.forwarded_on = forwarded_on or timezone.localdate()
        fields += ["forwarded_to", "forwarded_on"]
    now = timezone.now()
    concern.status = status
    concern.status_changed_at = now
    concern.closed_at = now if status in CLOSED else None
    concern.save(update_fields=fields)
    text = note
    if status == Status.FORWARDED:
        prefix = _("Forwarded to %(target)s on %(date)s.") % {
            "target": concern.forwarded_to,
            "date": concern.forwarded_on.strftime("%d.%m.%Y"),
        }
        text = f"{prefix} {note}".strip()
    return _record(concern, user=user, status=status, text=text, is_public=note_public)


@transaction.atomic
def concern_answer(*, concern: Concern, text: str, is_public: bool, user) -> Update:
    """An answer: public ones show on the tracking page and go to the reporter by mail."""
    if not text.strip():
        raise ValidationError({"text": _("Write the answer first.")})
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            {"text": _("An answer may have at most %(max)s characters.") % {"max": MAX_DESCRIPTION}}
        )
    return _record(concern, user=user, text=text, is_public=is_public)


@transaction.atomic
def concern_merge(*, duplicate: Concern, into: Concern, user) -> Concern:
    """Merge a duplicate into another concern of the same area: the duplicate closes as
    merged, its page points to the other, its reporter hears of it (if they consented).

    Refused: merging a concern into itself, into one merged already, or across areas (each
    area's coordination answers for its own concerns; forward the concern instead)."""
    if duplicate.pk == into.pk:
        raise ValidationError(_("A concern cannot be merged into itself."))
    locked = {
        c.pk: c for c in Concern.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if into.status == Status.MERGED or duplicate.status == Status.MERGED:
        raise ValidationError(_("One of the two concerns was merged already."))
    if duplicate.area_id != into.area_id:
        raise ValidationError(
            _(
                "Concerns from two different areas cannot be merged. Forward the concern to the "
                "coordination of the other area instead."
            )
        )
    now = timezone.now()
    duplicate.status = Status.MERGED
    duplicate.merged_into = into
    duplicate.status_changed_at = duplicate.closed_at = now
    duplicate.save(
        update_fields=["status", "merged_into", "status_changed_at", "closed_at", "updated_at"]
    )
    _record(
        duplicate,
        user=user,
        status=Status.MERGED,
        text=_("Merged into concern %(number)s, which is handled in its place.")
        % {"number": into.number},
        is_public=True,
    )
    _record(
        into,
        user=user,
        text=_("Concern %(number)s was merged into this one.") % {"number": duplicate.number},
        is_public=False,
    )
    return duplicate


@transaction.atomic
def concern_put_on_agenda(*, concern: Concern, meeting: Meeting, user) -> Concern:
    """Put the concern on a meeting's agenda (as the coordination: accepted at once)."""
    if concern.agenda_item_id:
        raise ValidationError(_("This concern is on an agenda already."))
    item = agenda_item_propose(
        meeting=meeting,
        title=_("Concern %(number)s: %(category)s")
        % {"number": concern.number, "category": concern.category.name},
        description=concern.description,
        membership=None,
        user=user,
        by_coordinator=True,
    )
    concern.agenda_item = item
    concern.save(update_fields=["agenda_item", "updated_at"])
    _record(
        concern,
        user=user,
        text=_("To be discussed at: %(meeting)s, %(date)s.")
        % {
            "meeting": meeting.title,
            "date": timezone.localtime(meeting.start).strftime("%d.%m.%Y"),
        },
        is_public=meeting.is_public,
    )
    return concern


@transaction.atomic
def contact_forget(*, concern: Concern) -> None:
    """The reporter withdraws consent: their contact data goes at once."""
    Concern.objects.filter(pk=concern.pk).update(
        reporter_name="", reporter_email="", contact_consent=False, contact_purged_at=timezone.now()
    )
    pagecache.bump_after_commit()  # sends no signal: retire the cached answers


@transaction.atomic
def contacts_purge(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Blank the reporter's contact data of concerns closed longer than the retention."""
    days = settings.QUARTIER_CONCERNS_CONTACT_RETENTION_DAYS
    expired = Concern.objects.filter(closed_at__lt=now - dt.timedelta(days=days)).exclude(
        reporter_name="", reporter_email=""
    )
    count = expired.count()
    if not dry_run and count:
        expired.update(
            reporter_name="", reporter_email="", contact_consent=False, contact_purged_at=now
        )
        pagecache.bump_after_commit()  # sends no signal: retire the cached answers
    return count


@transaction.atomic
def setting_update(*, user, notify: str) -> CoordinatorSetting:
    setting, _created = CoordinatorSetting.objects.get_or_create(user=user)
    setting.notify = notify
    setting.save(update_fields=["notify"])
    return setting


@transaction.atomic
def api_client_create(*, name: str, contact: str = "") -> tuple[ApiClient, str]:
    """A new Open311 client; returns the key (shown once, only its hash is kept)."""
    key = new_key()
    client = ApiClient.objects.create(
        name=name.strip(), contact=contact.strip(), key_hash=hash_key(key)
    )
    return client, key


@transaction.atomic
def api_client_set_active(*, client: ApiClient, active: bool) -> None:
    client.is_active = active
    client.save(update_fields=["is_active"])


def api_client_for_key(key: str) -> ApiClient | None:
    if not key:
        return None
    return ApiClient.objects.filter(key_hash=hash_key(key), is_active=True).first()
