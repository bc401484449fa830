"""The mails of the networks app, each a task the services enqueue after commit:
invitations and cancellations (with an .ics file), requests to join and their answers, and
messages from the public page.

Every mail goes out from here or tasks.py, never from a request. Reads models, tokens, ics and
selectors, never the services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from quartier.directory.models import Person
from quartier.networks import ics, tokens
from quartier.networks.models import (
    Body,
    ContactInvitation,
    Delegate,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    OrganisationRequest,
)


def url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@task()
def send_meeting_mail(
    meeting_id: int,
    method: str,
    person_ids: list[int] | None,
    contact_membership_ids: list[int] | None = None,
) -> int:
    """Send the invitation (METHOD:REQUEST) or cancellation (METHOD:CANCEL) with an .ics file.

    Without `person_ids` it goes to every invited delegate still delegated and to the general
    address of every member invited that way (`ContactInvitation`); with them, to those people
    (delegates whose membership ended get their CANCEL this way) and to the general addresses
    of `contact_membership_ids`. Returns mails sent.
    """
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    cancel = method == "CANCEL"
    # (the invitation, the person or else the organisation addressed, the address)
    recipients: list[tuple[Invitation | ContactInvitation | None, Any, str]] = []
    if person_ids is not None:
        recipients += [(None, p, p.email) for p in Person.objects.filter(pk__in=person_ids)]
        ids = contact_membership_ids or []
        contacts = {
            c.membership_id: c for c in meeting.contact_invitations.filter(membership_id__in=ids)
        }
        for membership in Membership.objects.filter(pk__in=ids).select_related("organisation"):
            organisation = membership.organisation
            recipients.append((contacts.get(membership.pk), organisation, organisation.email))
    else:
        on = timezone.localdate(meeting.start)
        invitations = meeting.invitations.filter(
            delegate__in=_current_delegates(on)
        ).select_related("delegate__person")
        recipients += [
            (invitation, invitation.delegate.person, invitation.delegate.person.email)
            for invitation in invitations
        ]
        contact_invitations = meeting.contact_invitations.filter(
            membership__in=Membership.objects.current(on)
        ).select_related("membership__organisation")
        recipients += [
            (contact, contact.membership.organisation, contact.membership.organisation.email)
            for contact in contact_invitations
        ]
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for invitation, addressee, address in recipients:
            if not address:
                continue
            links = {}
            if isinstance(invitation, Invitation) and not cancel:
                for answer in (
                    Invitation.Answer.YES,
                    Invitation.Answer.NO,
                    Invitation.Answer.MAYBE,
                ):
                    links[answer] = url(tokens.rsvp_path(invitation, answer))
            context = {
                "meeting": meeting,
                "person": addressee if isinstance(addressee, Person) else None,
                "organisation": None if isinstance(addressee, Person) else addressee,
                "links": links,
                "cancel": cancel,
                # "Updated" only for a person who had an earlier version of this invitation.
                "updated": not cancel
                and invitation is not None
                and 0 <= invitation.sent_sequence < meeting.sequence,
                "meeting_url": url(meeting.get_absolute_url()),
            }
            subject = render_to_string("networks/emails/meeting_subject.txt", context).strip()
            message = EmailMessage(
                subject=subject,
                body=render_to_string("networks/emails/meeting.txt", context),
                to=[address],
            )
            message.attach(
                "einladung.ics" if not cancel else "absage.ics",
                ics.invitation_ics(meeting, attendee=address, cancel=cancel),
                f"text/calendar; charset=utf-8; method={'CANCEL' if cancel else 'REQUEST'}",
            )
            message.send()
            sent += 1
            if invitation is not None:
                invitation.sent_sequence = meeting.sequence
                invitation.sent_at = timezone.now()
                invitation.save(update_fields=["sent_sequence", "sent_at", "updated_at"])
    return sent


def _current_delegates(on):
    return Delegate.objects.current(on)


def _body_address(body: Any) -> str:
    """Where a body's mail goes: its own contact address, else its coordinating organisation's."""
    return body.contact_email or (
        body.coordinating_organisation.email if body.coordinating_organisation else ""
    )


@task()
def notify_join_request(join_request_id: int) -> int:
    """Tell the body's contact address that an organisation asks to join."""
    join_request = JoinRequest.objects.select_related(
        "body__coordinating_organisation", "organisation"
    ).get(pk=join_request_id)
    body = join_request.body
    to = _body_address(body)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "join_request": join_request,
            "url": url(reverse("backoffice:networks:join_requests", kwargs={"slug": body.slug})),
        }
        return send_mail(
            render_to_string("networks/emails/join_request_subject.txt", context).strip(),
            render_to_string("networks/emails/join_request.txt", context),
            None,
            [to],
        )


@task()
def notify_organisation_request(request_id: int) -> int:
    """Tell the body's contact address that an organisation not on the platform asks to be
    added; the requester's address is the Reply-To, so the answer goes straight to them."""
    request = (
        OrganisationRequest.objects.select_related("body__coordinating_organisation")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    body = request.body
    to = _body_address(body)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "url": url(
                reverse("backoffice:networks:organisation_request", kwargs={"pk": request.pk})
            ),
        }
        message = EmailMessage(
            subject=render_to_string(
                "networks/emails/organisation_request_subject.txt", context
            ).strip(),
            body=render_to_string("networks/emails/organisation_request.txt", context),
            to=[to],
            reply_to=[request.contact_email],
        )
        return message.send()


@task()
def send_join_decision(join_request_id: int) -> int:
    """Tell the organisation (its public address and the person who asked) the decision."""
    join_request = JoinRequest.objects.select_related("body", "organisation", "requested_by").get(
        pk=join_request_id
    )
    recipients = {
        address
        for address in (
            join_request.organisation.email,
            join_request.requested_by.email if join_request.requested_by else "",
        )
        if address
    }
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "join_request": join_request,
            "body_url": url(join_request.body.get_absolute_url()),
        }
        return send_mail(
            render_to_string("networks/emails/join_decision_subject.txt", context).strip(),
            render_to_string("networks/emails/join_decision.txt", context),
            None,
            sorted(recipients),
        )


@task()
def send_contact_message(body_id: int, name: str, email: str, message: str) -> int:
    """Forward a concern from the public page; the sender's address is used once, as Reply-To."""
    body = Body.objects.select_related("coordinating_organisation").get(pk=body_id)
    to = _body_address(body)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"body": body, "name": name, "message": message}
        mail = EmailMessage(
            subject=render_to_string("networks/emails/contact_subject.txt", context).strip(),
            body=render_to_string("networks/emails/contact.txt", context),
            to=[to],
            reply_to=[email] if email else None,
        )
        return mail.send()


@task()
def send_organisation_request_decision(request_id: int, address: str, name: str) -> int:
    """Tell the requester whether their organisation was added. The request no longer holds
    their address (it is emptied with the decision), so the address comes with the task."""
    request = (
        OrganisationRequest.objects.select_related("body", "organisation")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not address:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "name": name,
            "accepted": request.status == OrganisationRequest.Status.ACCEPTED,
            "organisation_url": (
                url(request.organisation.get_absolute_url()) if request.organisation else ""
            ),
            "body_url": url(request.body.get_absolute_url()),
        }
        return send_mail(
            render_to_string(
                "networks/emails/organisation_request_decision_subject.txt", context
            ).strip(),
            render_to_string("networks/emails/organisation_request_decision.txt", context),
            None,
            [address],
        )
