"""Signed links of participation: a survey ticket (one answer). A ticket names the survey and
either a random nonce (a link sent out by the coordinators; expires after
QUARTIER_PARTICIPATION_LINK_DAYS, default 60) or a printed code that was typed in (valid for
a day, the code itself stays usable until it answers)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from quartier.core import tokens

TICKET = "quartier.participation.ticket"
CODE_TICKET_AGE = dt.timedelta(days=1)


def link_age() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "QUARTIER_PARTICIPATION_LINK_DAYS", 60)))


@dataclass(frozen=True)
class Ticket:
    survey_id: int
    kind: str  # "link" or "code"
    value: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


def link_token(survey) -> str:
    return tokens.make(TICKET, {"s": survey.pk, "k": "link", "v": secrets.token_urlsafe(12)})


def code_token(survey, code: str) -> str:
    return tokens.make(TICKET, {"s": survey.pk, "k": "code", "v": code})


def read_ticket(token: str) -> Ticket:
    """The ticket of a token, or tokens.BadToken ("invalid" or "expired")."""
    value = tokens.read(TICKET, token)
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("s"), int)
        or value.get("k") not in ("link", "code")
        or not isinstance(value.get("v"), str)
    ):
        raise tokens.BadToken("invalid")
    age = link_age() if value["k"] == "link" else CODE_TICKET_AGE
    tokens.read(TICKET, token, max_age=age)  # raises "expired"
    return Ticket(value["s"], value["k"], value["v"])


def answer_url(token: str, *, absolute: bool = True) -> str:
    path = reverse("participation:answer", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}" if absolute else path
