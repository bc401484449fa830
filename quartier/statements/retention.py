"""Retention rules of joint statements, applied by `quartier purge_personal_data` (with
`--dry-run` it only counts).

Comments are the members' working notes: they are deleted COMMENT_RETENTION_DAYS after the
statement was published (the published text and its signing organisations stay, as the
body's public record). Comments on drafts that never got published stay with the draft.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from quartier.statements.models import Comment, State

COMMENT_RETENTION_DAYS = 365


def purge(*, dry_run: bool = False, now=None) -> dict[str, int]:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=COMMENT_RETENTION_DAYS)
    old = Comment.objects.filter(
        version__statement__state=State.PUBLISHED, version__statement__published_at__lt=cutoff
    )
    count = old.count() if dry_run else old.delete()[0]
    return {"comments on joint statements published over a year ago": count}
