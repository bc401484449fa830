"""Personal data of concerns for the DSGVO registry (core/privacy.py); docs/privacy-concerns.md.

A reporter's name and address are stored only with consent to replies. Erasure blanks them
(as withdrawing consent does, `contact_forget`) and deletes the concern's photos, which may
show people, number plates or the reporter's own house; the concern itself stays, without
anything that points to the person, because it is a public record of a problem in the area
that staff keep working on. Photos are re-encoded without metadata on upload, so the files
hold only pixels."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.concerns.models import Concern, Photo
from quartier.core import consent
from quartier.core.privacy import Category, Subject, rows

CATEGORIES = [
    Category(
        key="concerns.reporter",
        name=_("Reporters of concerns"),
        purpose=_("Replies to the reporter about their concern (only with their consent)"),
        data=_("name, e-mail address, the concern's text, place and photos, times"),
        subjects=_("residents and other visitors who report a concern"),
        recipients=_("the coordinators and the office the concern is routed to"),
        retention=_(
            "name and address blanked QUARTIER_CONCERNS_CONTACT_RETENTION_DAYS (default 180) "
            "days after the concern was closed"
        ),
        legal_basis=_("Art. 6(1)(a) DSGVO (consent to replies on the report form)"),
        kept=_(
            "the concern without name, address and photos, as the public record of the "
            "problem and its answers"
        ),
    ),
]


def _concerns(subject: Subject):
    return (
        Concern.objects.filter(reporter_email__iexact=subject.email)
        .select_related("category", "area")
        .prefetch_related("photos", "consents")
    )


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "concerns.reporter": rows(
            _concerns(subject),
            [
                "number",
                "category.name",
                "description",
                "area",
                "address",
                "lat",
                "lon",
                ("status", lambda c: c.get_status_display()),
                "reporter_name",
                "reporter_email",
                "contact_consent",
                "created_at",
                "closed_at",
                ("photos", lambda c: len(c.photos.all())),
                ("consent", consent.describe),
            ],
        )
    }


def erase(subject: Subject) -> dict[str, int]:
    concerns = list(_concerns(subject))
    if not concerns:
        return {"concerns.reporter": 0}
    for photo in Photo.objects.filter(concern__in=concerns):
        photo.image.delete(save=False)
        photo.delete()
    Concern.objects.filter(pk__in=[c.pk for c in concerns]).update(
        reporter_name="",
        reporter_email="",
        contact_consent=False,
        contact_purged_at=timezone.now(),
    )
    subject.notes.append(
        str(
            _(
                "Your concerns stay without your name, address and photos: they are the "
                "record of a problem in the neighbourhood."
            )
        )
    )
    return {"concerns.reporter": len(concerns)}
