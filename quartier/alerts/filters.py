"""A saved search's filters: the search page's query string, checked by the search page's form.

The subscribe form checks them before anything is stored, and the digest checks them again on
every run, because a filter can stop existing later (a topic deleted, an area no longer
public). Both report the same readable problems (`FilterCheck.problems`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils.translation import gettext as _

from quartier.alerts import sources
from quartier.alerts.models import Kind
from quartier.search.services import SearchForm

if TYPE_CHECKING:
    from quartier.alerts.models import Subscription

# The search page's filter parameters a saved search keeps (see quartier.search.forms).
SEARCH_PARAMS = (
    "topic",
    "group",
    "area",
    "lang",
    "free",
    "barrier_free",
    "weekday",
    "near",
    "lat",
    "lon",
    "radius",
)
# SearchForm.clean() reports a lone latitude or longitude without a field: both go.
PAIRED = ("lat", "lon")
MAX_LENGTH = 2000


def search_params(data: QueryDict) -> str:
    """The filter part of a search page query string, in a stable order."""
    pairs = [(key, value) for key in SEARCH_PARAMS for value in data.getlist(key) if value]
    return urlencode(pairs)[:MAX_LENGTH]


@dataclass
class FilterCheck:
    """The outcome of checking a saved search's filters."""

    form: SearchForm | None  # bound to the filters; None for alerts that are no search
    problems: list[str] = field(default_factory=list)  # readable, in the active language
    bad_keys: set[str] = field(default_factory=set)  # parameters that cause the problems

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def usable_params(self) -> str:
        """The filters without the values that do not work (for a link to the search page)."""
        if self.form is None:
            return ""
        data = self.form.data.copy()
        bad = set(self.bad_keys)
        if bad & set(PAIRED):
            bad.update(PAIRED)  # a lone latitude or longitude is refused too
        for key in bad:
            field = self.form.fields.get(key)
            if isinstance(field, forms.MultipleChoiceField):
                data.setlist(key, [v for v in data.getlist(key) if field.valid_value(v)])
            else:
                data.pop(key, None)
        return search_params(data)


def check(params: str) -> FilterCheck:
    """Check `params` with the search page's own form (read-only use of quartier.search)."""
    data = QueryDict(mutable=True)
    for key, values in QueryDict(params).lists():
        data.setlist(key, [value for value in values if value])  # as search_params() does
        if not data.getlist(key):
            del data[key]
    form = SearchForm(data)
    result = FilterCheck(form=form)
    unknown = sorted(key for key in data if key not in SEARCH_PARAMS)
    for key in unknown:
        result.problems.append(_("Unknown filter: %(name)s") % {"name": key[:50]})
    result.bad_keys.update(unknown)
    if form.is_valid():
        return result
    for name, errors in form.errors.items():
        if name in result.bad_keys:  # already reported as unknown
            continue
        if name == NON_FIELD_ERRORS:
            result.problems.extend(errors)
            result.bad_keys.update(PAIRED)
            continue
        label = form.fields[name].label or name
        result.problems.extend(
            _("%(filter)s: %(error)s") % {"filter": label, "error": error} for error in errors
        )
        result.bad_keys.add(name)
    return result


def check_subscription(subscription: Subscription) -> FilterCheck:
    """Whether the subscription can still run: a saved search's filters, an alert's area, a
    news alert's source and topics.

    An area that is no longer public is reported like a filter that stopped working: the alert
    pauses, its subscriber hears of it once, and it carries on when the area is public again.
    So is a news alert whose topics were all deleted (with no area left, it would announce
    everything) or whose source is gone.
    """
    if subscription.kind == Kind.SEARCH:
        return check(subscription.params)
    # No search form: building one loads the search's vocabularies, for nothing here.
    result = FilterCheck(form=None)
    if subscription.kind == Kind.NEWS:
        source = sources.get(subscription.source)
        if source is None:
            result.problems.append(_("This kind of alert is no longer offered."))
            result.bad_keys.add("source")
            return result
        if subscription.area_id is None:
            if not subscription.topics.all():
                result.problems.append(_("The topics of this alert no longer exist."))
                result.bad_keys.add("topic")
            return result
    if subscription.area is None or not subscription.area.is_public:
        name = subscription.area.name if subscription.area is not None else ""
        result.problems.append(_("The area “%(name)s” is no longer published.") % {"name": name})
        result.bad_keys.add("area")
    return result
