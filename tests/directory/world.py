"""The directory part of the test world: a partner note on world.organisation
(world.partner_note) whose texts are secrets: the privacy sweep fails if they appear in any
public page, feed, API or export."""

from __future__ import annotations

import datetime

from quartier.directory.models import CooperationKind, PartnerNote
from tests import sentinels

ORDER = 100


def extend(world) -> None:
    world.extra["partner_note"] = PartnerNote.objects.create(
        organisation=world.organisation,
        kind=CooperationKind.CONTRACT,
        last_contact=datetime.date(2026, 3, 2),
        agreements=sentinels.secret("partner note agreements"),
        next_step=sentinels.secret("partner note next step"),
        author=world.users["planner"],
    )
