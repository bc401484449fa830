"""Personal data of networks for the DSGVO registry (core/privacy.py); docs/privacy-networks.md.

Delegations belong to contact persons (staff of member organisations; see directory/privacy.py)
and are the body's record: exported, not erased on request. Join requests are the
organisation's; the login that asked is exported and, when the account goes, set empty. A
private calendar feed is the person's own and is deleted on request, as is a request to add
an organisation (the requester's name and address, given with consent)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quartier.core import consent
from quartier.core.privacy import Category, Subject, rows
from quartier.networks.models import CalendarToken, Delegate, JoinRequest, OrganisationRequest

CATEGORIES = [
    Category(
        key="networks.delegate",
        name=_("Delegations to bodies"),
        purpose=_("Invitations, attendance and the membership record of a body"),
        data=_("person, member organisation, deputy or not, since, until"),
        subjects=_("staff of member organisations"),
        recipients=_("members and coordinators of the body; OParl for public bodies"),
        retention=_("5 years after the delegation ended"),
        legal_basis=_("Art. 6(1)(e) and (f) DSGVO"),
        kept=_("the body's record, until the retention period ends"),
    ),
    Category(
        key="networks.join_request",
        name=_("Requests to join a body"),
        purpose=_("The coordinators' decision"),
        data=_("organisation, reason, the login that asked, decision"),
        subjects=_("staff of organisations"),
        recipients=_("coordinators of the body"),
        retention=_("2 years after the decision"),
        legal_basis=_("Art. 6(1)(f) DSGVO"),
        kept=_("the organisation's request, without the login"),
    ),
    Category(
        key="networks.calendar_token",
        name=_("Private calendar feeds"),
        purpose=_("A person's own feed of their bodies' meetings"),
        data=_("secret token, times"),
        subjects=_("delegates"),
        recipients=_("none"),
        retention=_("until revoked, then 30 days"),
        legal_basis=_("Art. 6(1)(b) DSGVO"),
    ),
    Category(
        key="networks.organisation_request",
        name=_("Requests to add an organisation"),
        purpose=_("The coordinators' answer to an organisation not yet on the platform"),
        data=_("organisation, website, message, the requester's name and e-mail, consent"),
        subjects=_("staff of organisations"),
        recipients=_("coordinators of the body"),
        retention=_("6 months after the request"),
        legal_basis=_("Art. 6(1)(a) DSGVO"),
        kept=_(
            "once decided, without the requester's name, e-mail and message (the answer has "
            "been sent): the organisation's name and website and the decision, until the "
            "6 months are over"
        ),
    ),
]


def _people(subject: Subject) -> Q:
    match = Q(person__email__iexact=subject.email)
    if subject.user is not None:
        match |= Q(person__user=subject.user)
    return match


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    requests = (
        JoinRequest.objects.filter(requested_by=subject.user)
        if subject.user is not None
        else JoinRequest.objects.none()
    )
    return {
        "networks.delegate": rows(
            Delegate.objects.filter(_people(subject)).select_related(
                "membership__body", "membership__organisation", "person"
            ),
            [
                "person",
                "membership.body",
                "membership.organisation",
                "is_deputy",
                "start_date",
                "end_date",
            ],
        ),
        "networks.join_request": rows(
            requests.select_related("body", "organisation"),
            ["body", "organisation", "reason", "status", "created_at", "decided_at"],
        ),
        "networks.calendar_token": rows(
            CalendarToken.objects.filter(_people(subject)),
            ["created_at", "revoked_at"],
        ),
        "networks.organisation_request": rows(
            OrganisationRequest.objects.filter(contact_email__iexact=subject.email)
            .select_related("body")
            .prefetch_related("consents"),
            [
                "body",
                "organisation_name",
                "website",
                "message",
                "contact_name",
                "contact_email",
                "created_at",
                ("consent", consent.describe),
            ],
        ),
    }


def erase(subject: Subject) -> dict[str, int]:
    deleted, _by_model = CalendarToken.objects.filter(_people(subject)).delete()
    requests = 0
    if subject.user is not None:
        requests = JoinRequest.objects.filter(requested_by=subject.user).update(requested_by=None)
    _total, by_model = OrganisationRequest.objects.filter(
        contact_email__iexact=subject.email
    ).delete()
    added = by_model.get(OrganisationRequest._meta.label, 0)
    return {
        "networks.calendar_token": deleted,
        "networks.join_request": requests,
        "networks.organisation_request": added,
    }
