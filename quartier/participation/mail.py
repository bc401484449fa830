"""Mails of participation, each a task queued after the commit: the coordinator's public
answer to the proposer (only with consent to replies). Reads models, never the services."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from quartier.participation.models import Proposal


@task()
def send_answer(proposal_id: int) -> None:
    proposal = Proposal.objects.select_related("round", "project").filter(pk=proposal_id).first()
    if proposal is None or not (proposal.contact_consent and proposal.contact_email):
        return
    body = render_to_string(
        "participation/email/answer.txt",
        {"proposal": proposal, "url": settings.SITE_URL + proposal.get_absolute_url()},
    )
    subject = _("Answer to your proposal: %(title)s") % {"title": proposal.title}
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [proposal.contact_email]).send()
