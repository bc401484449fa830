"""Enqueueing background work (mail, imports) only once the data it reads is committed.

A task enqueued inside a transaction may run before the commit (the immediate backend runs
it at once; a worker of a non-database backend may pick it up at once) and then reads rows
that do not exist yet, or mails about a change that is rolled back afterwards. Every app
enqueues through `enqueue_on_commit`: inside a transaction the task is queued when the
outermost transaction commits and dropped when it rolls back; outside one it is queued now.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, using: str | None = None, **kwargs: Any) -> None:
    """Queue `task` (a django-tasks Task) with these arguments after the current commit."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), using=using)
