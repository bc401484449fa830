"""The subscribe form: a search (text and the search page's filters) or an area, how often."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartier.alerts import filters, sources
from quartier.alerts.filters import search_params
from quartier.alerts.models import Frequency, Kind
from quartier.areas.models import Area


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link to confirm it. The address is used for nothing else."),
    )
    q = forms.CharField(label=_("Search text"), required=False, max_length=500)
    params = forms.CharField(
        required=False, max_length=filters.MAX_LENGTH, widget=forms.HiddenInput
    )
    alert_area = forms.ModelChoiceField(
        label=_("Or: all new offers in this area"),
        queryset=Area.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("no area"),
    )
    # Another app's news for the area instead of its offers (alerts/sources.py).
    source = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Set when the filters do not work: the search page with the ones that still do.
        self.search_again_url = ""
        self.fields["alert_area"].queryset = Area.objects.public().order_by("name")
        chosen = (self.data or self.initial).get("source") if (self.data or self.initial) else ""
        if chosen and sources.get(chosen) is not None:
            self.fields["alert_area"].label = _("Area")
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("params"):
            check = filters.check(data["params"])
            if not check.valid:
                self._report_filters(check)
                return data
            data["params"] = search_params(check.form.data)
        if not (data.get("q") or data.get("params") or data.get("alert_area")):
            raise forms.ValidationError(
                _("Enter a search text, keep the filters of a search, or choose an area.")
            )
        if data.get("source") and (
            sources.get(data["source"]) is None or not data.get("alert_area")
        ):
            raise forms.ValidationError(_("Please choose an area for this alert."))
        if data.get("alert_area") and (data.get("q") or data.get("params")):
            raise forms.ValidationError(
                _("Choose either a search or an area: an alert is about one of them.")
            )
        return data

    def _report_filters(self, check: filters.FilterCheck) -> None:
        """One error per broken filter, above the form: the field is hidden, and a saved
        search with a filter the search page refuses would never find anything."""
        self.add_error(
            None,
            _(
                "Some filters of this search do not work, so the alert could never find "
                "anything. Please go back to the search, change the filters and create the "
                "alert from there."
            ),
        )
        for problem in check.problems:
            self.add_error(None, problem)
        query = QueryDict(check.usable_params, mutable=True)
        if self.cleaned_data.get("q"):
            query["q"] = self.cleaned_data["q"]
        self.search_again_url = f"{reverse('search:search')}?{query.urlencode()}"

    @property
    def kind(self) -> str:
        return Kind.AREA if self.cleaned_data.get("alert_area") else Kind.SEARCH
