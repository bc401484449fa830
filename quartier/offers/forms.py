"""The offer editing forms: the offer itself, its locations and its schedules (formsets).

The forms produce the snapshot format of snapshot.py; services apply it or store it as a
pending revision. They never save models themselves.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.core.geocoding import ESTIMATED, Source
from quartier.directory.models import Organisation, Person
from quartier.offers.models import Offer, ScheduleKind, TaxonomyTerm
from quartier.offers.snapshot import LOCATION_FIELDS, M2M_FIELDS, OFFER_FIELDS, SCHEDULE_FIELDS
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


_offer_fields = forms.fields_for_model(
    Offer,
    formfield_callback=_formfield,
    fields=[*OFFER_FIELDS, *M2M_FIELDS],
    widgets={
        "topics": forms.CheckboxSelectMultiple,
        "target_groups": forms.CheckboxSelectMultiple,
        "languages": forms.CheckboxSelectMultiple,
        "description": forms.Textarea(attrs={"rows": 6}),
        "easy_language_description": forms.Textarea(attrs={"rows": 4}),
        "application_process": forms.Textarea(attrs={"rows": 3}),
    },
)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return (
            f"{obj.parent.localized_name} › {obj.localized_name}"
            if obj.parent_id
            else obj.localized_name
        )


class OfferForm(type("_OfferFields", (forms.Form,), dict(_offer_fields))):  # type: ignore[misc]
    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"] = TopicChoiceField(
            queryset=TaxonomyTerm.objects.filter(taxonomy__slug=SOCIAL_SPACE_TAXONOMY)
            .select_related("parent")
            .order_by("position"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("topics"),
        )
        self.fields["areas"].queryset = Area.objects.select_related("kind").order_by(
            "kind__level", "name"
        )
        self.fields["contacts"].queryset = (
            Person.objects.filter(positions__organisation=organisation, positions__end_date=None)
            .distinct()
            .order_by("family_name", "given_name")
        )
        self.fields["contacts"].help_text = _(
            "People with a current position at the organisation. Only their public contact "
            "fields are shown on the offer page."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The upper age must not be below the lower age."))
        if (low is not None and low > 120) or (high is not None and high > 120):
            self.add_error("max_age", _("Please give ages between 0 and 120."))
        return data

    def snapshot(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in OFFER_FIELDS}
        for name in M2M_FIELDS:
            data[name] = sorted(str(obj.pk) for obj in self.cleaned_data.get(name) or [])
        return data


# Germany's bounding box (south, west, north, east), a little wider than its extreme points
# (47.27 N Haldenwangereck, 55.06 N List, 5.87 E Isenbruch, 15.04 E Deschka).
GERMANY_BOUNDS = (47.2, 5.8, 55.1, 15.1)


def point_bounds() -> tuple[float, float, float, float]:
    """Where an offer's point may lie: QUARTIER_MAP_BOUNDS (south, west, north, east), by
    default Germany. A typo (a swapped or missing digit) lands outside and is caught."""
    south, west, north, east = getattr(settings, "QUARTIER_MAP_BOUNDS", GERMANY_BOUNDS)
    return float(south), float(west), float(north), float(east)


class LocationForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("name of the place"), max_length=250, required=False)
    street = forms.CharField(label=_("street and number"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("postcode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("A German postcode has five digits.")},
    )
    city = forms.CharField(label=_("city"), max_length=100, required=False)
    lat = forms.FloatField(label=_("latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("longitude"), required=False, min_value=-180, max_value=180)
    # A point set by hand (typed or on the map) is kept on later saves; this asks for the
    # geocoding path again (offers.services._resolve_item).
    locate = forms.BooleanField(
        label=_("Determine the position from the address"),
        required=False,
        help_text=_(
            "Replaces latitude and longitude with the point found for the address on saving."
        ),
    )
    wheelchair_accessible = forms.BooleanField(label=_("barrier-free (wheelchair)"), required=False)
    accessibility = forms.CharField(
        label=_("accessibility of the place"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    transport = forms.CharField(label=_("public transport"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and lon is not None:
            south, west, north, east = point_bounds()
            if not (south <= lat <= north and west <= lon <= east):
                raise forms.ValidationError(
                    _(
                        "The point %(lat)s, %(lon)s lies outside the area of this platform "
                        "(latitude %(south)s to %(north)s, longitude %(west)s to %(east)s). "
                        "Please check latitude and longitude: were they swapped?"
                    )
                    % {
                        "lat": lat,
                        "lon": lon,
                        "south": south,
                        "north": north,
                        "west": west,
                        "east": east,
                    }
                )
        if not any(data.get(name) for name in ("name", "street", "city")):
            raise forms.ValidationError(_("Give at least a name, a street or a city."))
        return data

    @property
    def position_hint(self) -> str:
        """For the edit page: "estimated" (a postcode centre), "missing" (an address on no
        map), "manual" (set by hand) or "" for the stored location this form shows."""
        initial = self.initial or {}
        if initial.get("lat") is None:
            return "missing" if initial.get("street") or initial.get("postcode") else ""
        if initial.get("position_source") == Source.MANUAL:
            return "manual"
        return "estimated" if initial.get("position_source") in ESTIMATED else ""

    def snapshot(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in LOCATION_FIELDS}
        data["id"] = self.cleaned_data.get("id") or None
        if self.cleaned_data.get("locate"):
            data["locate"] = True  # read (and removed) by services.locations_resolve_positions
        return data


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "–"), *ScheduleKind.choices])
    weekday = forms.TypedChoiceField(
        label=_("weekday"),
        choices=[("", "–"), *WEEKDAYS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens_at = forms.TimeField(label=_("opens"), required=False)
    closes_at = forms.TimeField(label=_("closes"), required=False)
    valid_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("note"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if kind == ScheduleKind.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", _("Regular opening hours need a weekday."))
        if kind in (ScheduleKind.WEEKLY, ScheduleKind.DATE) and not (opens and closes):
            self.add_error("closes_at", _("Give the opening and the closing time."))
        if kind in (ScheduleKind.DATE, ScheduleKind.CLOSED) and not data.get("valid_from"):
            self.add_error("valid_from", _("Give the date."))
        # A closing time before the opening time is past midnight (Schedule.overnight).
        if opens and closes and closes == opens:
            self.add_error(
                "closes_at",
                _(
                    "The closing time equals the opening time. For hours past midnight give "
                    "the closing time of the next morning."
                ),
            )
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date must not be before the start date."))
        return data

    def snapshot(self) -> dict[str, Any]:
        from quartier.offers.snapshot import _plain

        return {name: _plain(self.cleaned_data.get(name)) for name in SCHEDULE_FIELDS}


LocationFormSet = forms.formset_factory(LocationForm, extra=1, can_delete=True, max_num=20)
ScheduleFormSet = forms.formset_factory(ScheduleForm, extra=2, can_delete=True, max_num=60)


def _kept(formset: forms.BaseFormSet) -> list[forms.Form]:
    return [
        form
        for form in formset.forms
        if (form.initial or form.has_changed()) and not formset._should_delete_form(form)
    ]


def snapshot_from_forms(
    form: OfferForm, locations: forms.BaseFormSet, schedules: forms.BaseFormSet
) -> dict[str, Any]:
    """The edited offer as snapshot data (all three must be valid)."""
    data = form.snapshot()
    data["locations"] = [location.snapshot() for location in _kept(locations)]
    data["schedules"] = [schedule.snapshot() for schedule in _kept(schedules)]
    return data


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("organisation")
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ReviewNoteForm(forms.Form):
    """The reason for sending an offer back or turning a change down: required, because it is
    mailed to the editors (services.offer_return_to_draft, services.revision_reject)."""

    note = forms.CharField(
        label=_("Reason for the editors"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what should change. The editors receive it by e-mail."),
        error_messages={"required": _("Please give the reason: the editors receive it.")},
    )
