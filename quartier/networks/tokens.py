"""Signed links of the networks app: the answer buttons (RSVP) in an invitation.

A token carries the invitation and the answer and expires after RSVP_MAX_AGE (120 days, as
before quartier.core.tokens); the purpose is the salt used since the first invitations, so
links already sent keep working.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from quartier.core import tokens
from quartier.networks.models import Invitation

RSVP = "networks.rsvp"
RSVP_MAX_AGE = datetime.timedelta(days=120)
ANSWERS = (Invitation.Answer.YES, Invitation.Answer.NO, Invitation.Answer.MAYBE)


def rsvp_token(invitation: Invitation, answer: str) -> str:
    return tokens.make(RSVP, {"i": invitation.pk, "a": answer})


def rsvp_path(invitation: Invitation, answer: str) -> str:
    return reverse("networks:rsvp", kwargs={"token": rsvp_token(invitation, answer)})


def read_rsvp(token: str) -> tuple[int, str]:
    """(invitation id, answer) of an RSVP link; BadToken "invalid" or "expired"."""
    data = tokens.read(RSVP, token, max_age=RSVP_MAX_AGE)
    if not isinstance(data, dict):
        raise tokens.BadToken("invalid")
    pk, answer = data.get("i"), data.get("a")
    if not isinstance(pk, int) or isinstance(pk, bool) or answer not in ANSWERS:
        raise tokens.BadToken("invalid")
    return pk, answer
