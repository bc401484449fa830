"""Periodic work: the continuation warning (weekly; docs/operations.md)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from quartier.core.tasks import enqueue_on_commit
from quartier.projects import mail, selectors
from quartier.projects.mail import send_continuation_warning  # noqa: F401 (queued rows name it)
from quartier.projects.models import ContinuationTask

WARN_EVERY_DAYS = 7


@task()
def warn_continuation_gaps() -> int:
    """Mail each responsible coordinator the tasks of their programmes (or their projects'
    programmes) that end within six months without a successor; each task at most weekly."""
    today = timezone.localdate()
    by_user: dict[int, list[int]] = defaultdict(list)
    with transaction.atomic():
        gaps = (
            selectors.continuation_gaps(None, today)
            .select_related("programme", "project")
            .prefetch_related("project__budget_lines__programme")
        )
        for gap in gaps:
            if gap.last_warned_on and (today - gap.last_warned_on).days < WARN_EVERY_DAYS:
                continue
            coordinators = set()
            if gap.programme and gap.programme.coordinator_id:
                coordinators.add(gap.programme.coordinator_id)
            if gap.project:
                coordinators |= {
                    line.programme.coordinator_id
                    for line in gap.project.budget_lines.all()
                    if line.programme.coordinator_id
                }
            for user_id in coordinators:
                by_user[user_id].append(gap.pk)
        warned = {pk for ids in by_user.values() for pk in ids}
        ContinuationTask.objects.filter(pk__in=warned).update(last_warned_on=today)
        for user_id, ids in by_user.items():
            enqueue_on_commit(mail.send_continuation_warning, user_id, ids)
    return len(warned)
