"""The subscribe form: a search (text and the search page's filters) or an area, how often."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from quartier.alerts.models import Frequency, Kind
from quartier.areas.models import Area

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


def search_params(data: QueryDict) -> str:
    """The filter part of a search page query string, in a stable order."""
    pairs = [(key, value) for key in SEARCH_PARAMS for value in data.getlist(key) if value]
    return urlencode(pairs)[:2000]


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link to confirm it. The address is used for nothing else."),
    )
    q = forms.CharField(label=_("Search text"), required=False, max_length=500)
    params = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    alert_area = forms.ModelChoiceField(
        label=_("Or: all new offers in this area"),
        queryset=Area.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("no area"),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alert_area"].queryset = Area.objects.public().order_by("name")
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("q") or data.get("params") or data.get("alert_area")):
            raise forms.ValidationError(
                _("Enter a search text, keep the filters of a search, or choose an area.")
            )
        if data.get("alert_area") and (data.get("q") or data.get("params")):
            raise forms.ValidationError(
                _("Choose either a search or an area: an alert is about one of them.")
            )
        return data

    @property
    def kind(self) -> str:
        return Kind.AREA if self.cleaned_data.get("alert_area") else Kind.SEARCH
