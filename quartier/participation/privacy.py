"""Personal data of participation for the DSGVO registry (core/privacy.py);
docs/privacy-participation.md.

Proposers and survey respondents may give an e-mail address with their consent; it is never
public. Erasure blanks the addresses (and unlinks the account from proposals); the proposals
and answers stay without anything pointing to the person, as the public record of the round.
Supports hold only a keyed hash and are not personal data that can be matched to a person.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.core import consent
from quartier.core.privacy import Category, Subject, rows
from quartier.participation.models import Proposal, Response

CATEGORIES = [
    Category(
        key="participation.proposer",
        name=_("Proposers in participation rounds"),
        purpose=_("Replies to the proposer about their proposal (only with their consent)"),
        data=_("e-mail address, the proposal's text and place, account if logged in, times"),
        subjects=_("residents who propose measures for a development concept"),
        recipients=_("the coordinators of the concept's area"),
        retention=_(
            "e-mail address blanked QUARTIER_PARTICIPATION_CONTACT_RETENTION_DAYS (default 180) "
            "days after the round closed"
        ),
        legal_basis=_("Art. 6(1)(a) DSGVO (consent to replies on the proposal form)"),
        kept=_("the proposal without address and account, as the public record of the round"),
    ),
    Category(
        key="participation.respondent",
        name=_("Survey respondents who want to be contacted"),
        purpose=_("Contact about the survey's results (only with their consent)"),
        data=_("e-mail address, times"),
        subjects=_("residents who answer an activating survey"),
        recipients=_("the coordinators of the concept's area"),
        retention=_(
            "e-mail address blanked QUARTIER_PARTICIPATION_CONTACT_RETENTION_DAYS (default 180) "
            "days after the round closed"
        ),
        legal_basis=_("Art. 6(1)(a) DSGVO (consent on the survey form)"),
        kept=_("the anonymous answers"),
    ),
]


def _proposals(subject: Subject):
    match = Q(contact_email__iexact=subject.email) if subject.email else Q(pk__in=[])
    if subject.user is not None:
        match |= Q(author=subject.user)
    return (
        Proposal.objects.filter(match).select_related("round", "field").prefetch_related("consents")
    )


def _responses(subject: Subject):
    if not subject.email:
        return Response.objects.none()
    return Response.objects.filter(contact_email__iexact=subject.email).prefetch_related("consents")


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "participation.proposer": rows(
            _proposals(subject),
            [
                "round.title",
                "field.title",
                "title",
                "text",
                "lat",
                "lon",
                ("status", lambda p: p.get_status_display()),
                "contact_email",
                "contact_consent",
                "created_at",
                ("consent", consent.describe),
            ],
        ),
        "participation.respondent": rows(
            _responses(subject),
            ["survey_id", "contact_email", "created_at", ("consent", consent.describe)],
        ),
    }


def erase(subject: Subject) -> dict[str, int]:
    proposals = _proposals(subject).update(
        contact_email="", contact_consent=False, author=None, contact_purged_at=timezone.now()
    )
    responses = _responses(subject).update(contact_email="", contact_consent=False)
    if proposals:
        subject.notes.append(
            str(
                _(
                    "Your proposals stay without your address and account: they are the "
                    "public record of the participation round."
                )
            )
        )
    return {"participation.proposer": proposals, "participation.respondent": responses}
