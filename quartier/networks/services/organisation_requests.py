"""Deciding requests to add an organisation (sent from a body's public join page).

Accepting adds the organisation to the directory (directory.services.organisation_save) and
puts it into the body's join flow: a member at once, or a pending request to join that the
coordination decides as any other. Either decision empties the requester's name, address and
message (the answer is queued with the address, after the commit): a decided request keeps no
more personal data than the decision needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.core.tasks import enqueue_on_commit
from quartier.core.text import unique_slug
from quartier.directory.models import Organisation
from quartier.directory.services import organisation_save
from quartier.networks import mail
from quartier.networks.models import JoinRequest, OrganisationRequest
from quartier.networks.services.bodies import membership_add

_PERSONAL_FIELDS = ("contact_name", "contact_email", "message")


def _lock_open(organisation_request: OrganisationRequest) -> OrganisationRequest:
    locked = (
        OrganisationRequest.objects.select_for_update(of=("self",))
        .select_related("body")
        .get(pk=organisation_request.pk)
    )
    if not locked.is_open:
        raise ValidationError(_("This request has already been decided."))
    return locked


def _close(locked: OrganisationRequest, *, user, status: str) -> None:
    """Record the decision, queue the answer to the requester, forget who they are."""
    address, name = locked.contact_email, locked.contact_name
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    for field in _PERSONAL_FIELDS:
        setattr(locked, field, "")
    locked.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "organisation",
            "decline_reason",
            *_PERSONAL_FIELDS,
            "updated_at",
        ]
    )
    if address:
        enqueue_on_commit(mail.send_organisation_request_decision, locked.pk, address, name)


@transaction.atomic
def organisation_request_accept(
    *,
    organisation_request: OrganisationRequest,
    user,
    name: str,
    kind: str,
    area_ids: Iterable[int],
    website: str = "",
    email: str = "",
    description: str = "",
    member_now: bool = False,
) -> Organisation:
    """Add the organisation to the directory with the request's data (as corrected by the
    decider) and let it join the body: a member at once (`member_now`), else a pending
    request to join in the body's list. Refuses a name already in the directory."""
    locked = _lock_open(organisation_request)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the organisation's name.")})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {
                "name": _(
                    "An organisation named “%(name)s” is already in the directory: decline "
                    "this request with a pointer to it, or give another name."
                )
                % {"name": name}
            }
        )
    organisation = Organisation(
        name=name[:250],
        slug=unique_slug(
            name, lambda s: Organisation.objects.filter(slug=s).exists(), max_length=250
        ),
        kind=kind,
        website=website,
        email=email,
        description=description.strip(),
    )
    organisation_save(user=user, organisation=organisation, area_ids=area_ids)
    body = locked.body
    if not body.dissolved_on:
        if member_now:
            membership_add(body=body, organisation=organisation)
        else:
            JoinRequest.objects.create(
                body=body,
                organisation=organisation,
                reason=(locked.message or "").strip()[:2000]
                or _("Added from a request to add an organisation."),
            )
    locked.organisation = organisation
    _close(locked, user=user, status=OrganisationRequest.Status.ACCEPTED)
    return organisation


@transaction.atomic
def organisation_request_decline(
    *, organisation_request: OrganisationRequest, user, reason: str
) -> OrganisationRequest:
    """Decline with a reason, which the requester is sent."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is declined: it is mailed.")})
    locked = _lock_open(organisation_request)
    locked.decline_reason = reason[:2000]
    _close(locked, user=user, status=OrganisationRequest.Status.DECLINED)
    return locked
