"""Template filters of the calendar core: `{{ booking.recurrence|recurrence_text }}`."""

from __future__ import annotations

import datetime as dt

from django import template

from quartier.core import recurrence

register = template.Library()


@register.filter
def recurrence_text(rule: str, until: dt.date | None = None) -> str:
    """The rule in words ("every week on Wednesday, until 3 June 2027"); `until` is an end
    date kept apart from the rule."""
    return recurrence.describe(rule or "", until)
