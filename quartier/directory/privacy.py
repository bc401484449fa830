"""Personal data of the directory for the DSGVO registry (core/privacy.py); docs/privacy.md.

Contact persons are staff of organisations and public bodies, not residents: their records are
the organisation's work data (who to contact for an offer), kept up to date by its editors. An
export shows them; an erasure request does not delete them automatically (the organisation
may still list the person in a current position): the answer says so, and the admins or the
organisation's editors end the position, after which the retention rule deletes the record."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quartier.core.privacy import Category, Subject, rows
from quartier.directory.models import PartnerNote, Person

CATEGORIES = [
    Category(
        key="directory.person",
        name=_("Contact persons"),
        purpose=_("Naming who to contact at an organisation, for an offer or a body"),
        data=_(
            "name, title, work e-mail, phone, mobile, office hours (each public or internal), "
            "positions"
        ),
        subjects=_("staff of organisations and public bodies"),
        recipients=_("the public, for the fields marked public; HSDS and OParl exports likewise"),
        retention=_(
            "deleted QUARTIER_PERSON_RETENTION_DAYS after the last position ended, with their "
            "change history"
        ),
        legal_basis=_("Art. 6(1)(e) and (f) DSGVO (public tasks of the organisations)"),
        kept=_(
            "not deleted on request while a position is current: the organisation ends it, "
            "then the retention rule applies"
        ),
    ),
    Category(
        key="directory.partner_note",
        name=_("Partner notes (authorship)"),
        purpose=_("The area staff's record of the cooperation with an organisation"),
        data=_("author of a note on a partner, its times (the notes hold no case data)"),
        subjects=_("staff of the areas (planners, coordinators, admins)"),
        recipients=_("staff of the organisation's areas and platform admins"),
        retention=_(
            "deleted QUARTIER_PARTNER_NOTE_RETENTION_DAYS (3 years) after the note's last edit"
        ),
        legal_basis=_("Art. 6(1)(e) DSGVO (social-space planning)"),
        kept=_("the note stays for the area's record, without its author"),
    ),
]


def _mine(subject: Subject):
    match = Q(email__iexact=subject.email)
    if subject.user is not None:
        match |= Q(user=subject.user)
    return Person.objects.filter(match).prefetch_related("positions__organisation")


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "directory.person": rows(
            _mine(subject),
            [
                "title",
                "given_name",
                "family_name",
                "email",
                "email_public",
                "phone",
                "phone_public",
                "mobile",
                "mobile_public",
                "office_hours",
                (
                    "positions",
                    lambda p: "; ".join(
                        f"{pos.role}, {pos.organisation} "
                        f"({pos.start_date or ''}–{pos.end_date or ''})"
                        for pos in p.positions.all()
                    ),
                ),
            ],
        ),
        "directory.partner_note": rows(
            _notes(subject).select_related("organisation"),
            ["organisation", "kind", "created_at", "updated_at"],
        ),
    }


def _notes(subject: Subject):
    if subject.user is None:
        return PartnerNote.objects.none()
    return PartnerNote.objects.filter(author=subject.user)


def erase(subject: Subject) -> dict[str, int]:
    if _mine(subject).exists():
        subject.notes.append(
            str(
                _(
                    "You are listed as a contact person of an organisation. The organisation "
                    "or the platform administration removes that entry when your position ends."
                )
            )
        )
    authored = _notes(subject).update(author=None)
    return {"directory.person": 0, "directory.partner_note": authored}
