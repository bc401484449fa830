"""Networks (Gremien) and their working life, in a vocabulary close to OParl 1.1.

OParl mapping (for quartier/api/oparl):
- `Body` (our Gremium)            -> oparl:Organization
- `Membership` (organisation)     -> context of oparl:Membership
- `Delegate` (person of a member) -> oparl:Membership (person in organization)
- `Meeting`                       -> oparl:Meeting (location fields -> oparl:Location)
- `AgendaItem`                    -> oparl:AgendaItem
- `Document` / `DocumentVersion`  -> oparl:Paper / oparl:File (kind "statement" = joint statement)
- `Minutes`                       -> oparl:Meeting.verbatimProtocol / resultsProtocol (a File)

Visibility: only `Body.is_public`, `Meeting.is_public` (and not of a private body),
`AgendaItem.is_public`, `Document.visibility == public` and `Minutes.is_public` may ever leave
the platform; every model here offers a `public()` QuerySet method that applies the rule.
"""

from quartier.networks.models.bodies import (
    Body,
    BodyKind,
    Delegate,
    JoinRequest,
    Membership,
    MembershipRole,
    OrganisationRequest,
    Topic,
    Visibility,
)
from quartier.networks.models.documents import Document, DocumentKind, DocumentVersion
from quartier.networks.models.meetings import (
    AgendaItem,
    CalendarToken,
    ContactInvitation,
    HostTurn,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
)
from quartier.networks.models.minutes import ActionItem, Decision, Minutes

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Body",
    "BodyKind",
    "CalendarToken",
    "ContactInvitation",
    "Decision",
    "Delegate",
    "Document",
    "DocumentKind",
    "DocumentVersion",
    "HostTurn",
    "Invitation",
    "JoinRequest",
    "Meeting",
    "MeetingKind",
    "MeetingSeries",
    "MeetingStatus",
    "Membership",
    "MembershipRole",
    "Minutes",
    "OrganisationRequest",
    "Topic",
    "Visibility",
]
