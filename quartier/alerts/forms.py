"""The subscribe form: a search (text and the search page's filters), an area, or another
app's news by area and/or topic (alerts/sources.py); how often."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quartier.alerts import filters, sources
from quartier.alerts.filters import search_params
from quartier.alerts.models import Frequency, Kind
from quartier.areas.models import Area
from quartier.core.forms import HoneypotMixin
from quartier.offers.forms import TopicChoiceField
from quartier.offers.models import TaxonomyTerm
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY


class SubscriptionForm(HoneypotMixin, forms.Form):
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
    # Another app's news instead of offers (alerts/sources.py): by area, and for a source
    # that takes them (events) by topic too.
    source = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any of the chosen topics, narrower topics included."),
    )
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
        source = sources.get(chosen) if chosen else None
        if source is not None:
            self.fields["alert_area"].label = _("Area")
            del self.fields["q"]  # a news alert is not a search
        if source is not None and source.takes_topics:
            self.fields["alert_area"].empty_label = _("all areas")
            self.fields["alert_area"].help_text = _(
                "The area, the areas in it and the areas around it (a city-wide event counts "
                "for every quarter)."
            )
            self.fields["topics"].queryset = (
                TaxonomyTerm.objects.filter(taxonomy__slug=SOCIAL_SPACE_TAXONOMY)
                .select_related("parent")
                .order_by("position", "name")
            )
        else:
            del self.fields["topics"]
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source"):
            return self._clean_news(data)
        if data.get("params"):
            check = filters.check(data["params"])
            if not check.valid:
                self._report_filters(check)
                return data
            assert check.form is not None  # filters.check() always binds the search form
            data["params"] = search_params(check.form.data)
        if not (data.get("q") or data.get("params") or data.get("alert_area")):
            raise forms.ValidationError(
                _("Enter a search text, keep the filters of a search, or choose an area.")
            )
        if data.get("alert_area") and (data.get("q") or data.get("params")):
            raise forms.ValidationError(
                _("Choose either a search or an area: an alert is about one of them.")
            )
        return data

    def _clean_news(self, data: dict) -> dict:
        """A news alert (alerts/sources.py): an area, or for a source that takes topics an
        area and/or topics; never a search."""
        source = sources.get(data["source"])
        if source is None:
            raise forms.ValidationError(_("This kind of alert is not offered."))
        data["q"], data["params"] = "", ""
        if source.takes_topics and not (data.get("alert_area") or data.get("topics")):
            raise forms.ValidationError(_("Please choose an area or a topic for this alert."))
        if not source.takes_topics and not data.get("alert_area"):
            raise forms.ValidationError(_("Please choose an area for this alert."))
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
        if self.cleaned_data.get("source"):
            return Kind.NEWS
        return Kind.AREA if self.cleaned_data.get("alert_area") else Kind.SEARCH
