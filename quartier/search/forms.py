"""The search form (GET): parses the page's and the API's query string into SearchFilters."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.core.geo import BBox
from quartier.offers.models import Language, TargetGroup, TaxonomyTerm
from quartier.search.services import DEFAULT_RADIUS_M, MAX_RADIUS_M, SearchFilters

WEEKDAYS = [
    ("", _("any day")),
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
SORT_CHOICES = [
    ("relevance", _("best match")),
    ("distance", _("distance")),
    ("name", _("name")),
]
RADIUS_CHOICES = [
    ("1", "1 km"),
    ("2", "2 km"),
    ("5", "5 km"),
    ("10", "10 km"),
    ("25", "25 km"),
    ("50", "50 km"),
]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    topic = forms.MultipleChoiceField(label=_("Topic"), required=False)
    group = forms.MultipleChoiceField(label=_("Target group"), required=False)
    area = forms.MultipleChoiceField(label=_("Area"), required=False)
    lang = forms.MultipleChoiceField(label=_("Language"), required=False)
    free = forms.BooleanField(label=_("free of charge"), required=False)
    barrier_free = forms.BooleanField(label=_("barrier-free"), required=False)
    open_now = forms.BooleanField(label=_("open now"), required=False)
    weekday = forms.TypedChoiceField(
        label=_("Open on"), choices=WEEKDAYS, required=False, coerce=int, empty_value=None
    )
    near = forms.ChoiceField(label=_("Near the area"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius = forms.TypedChoiceField(
        label=_("Radius"), choices=RADIUS_CHOICES, required=False, coerce=int, empty_value=5
    )
    bbox = forms.CharField(label=_("Map section"), required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # All terms, no join with the offers: the facet counts decide what is shown.
        self.fields["topic"].choices = [
            (str(pk), name)
            for pk, name in TaxonomyTerm.objects.order_by("name").values_list("pk", "name")
        ]
        self.fields["group"].choices = list(TargetGroup.objects.values_list("slug", "name"))
        self.fields["lang"].choices = list(Language.objects.values_list("code", "name"))
        areas = list(Area.objects.public().select_related("kind").order_by("kind__level", "name"))
        self.fields["area"].choices = [(str(a.pk), f"{a.name} ({a.kind.name})") for a in areas]
        self.area_centres = {
            a.slug: (a.centre_lat, a.centre_lon) for a in areas if a.centre_lat is not None
        }
        self.fields["near"].choices = [("", _("anywhere"))] + [
            (a.slug, a.name) for a in areas if a.slug in self.area_centres
        ]

    def clean_bbox(self) -> BBox | None:
        text = self.cleaned_data.get("bbox") or ""
        if not text:
            return None
        try:
            return BBox.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        near = None
        if data.get("lat") is not None and data.get("lon") is not None:
            near = (data["lat"], data["lon"])
        elif data.get("near"):
            near = self.area_centres.get(data["near"])
        radius_km = data.get("radius") or int(DEFAULT_RADIUS_M / 1000)
        return SearchFilters(
            topics=data.get("topic") or [],
            target_groups=data.get("group") or [],
            areas=[int(value) for value in data.get("area") or []],
            languages=data.get("lang") or [],
            free=bool(data.get("free")),
            barrier_free=bool(data.get("barrier_free")),
            open_now=bool(data.get("open_now")),
            weekday=data.get("weekday"),
            near=near,
            radius_m=min(radius_km * 1000.0, MAX_RADIUS_M),
            bbox=data.get("bbox"),
            sort=data.get("sort") or ("distance" if near else "relevance"),
        )

    def facet_options(self, facets: dict[str, int]) -> dict[str, list[FacetOption]]:
        """Options with counts per facet field: values with hits, and those already ticked."""
        prefixes = {"topic": "topic", "group": "group", "area": "area", "lang": "lang"}
        result = {}
        for name, prefix in prefixes.items():
            chosen = set(self.cleaned_data.get(name) or []) if self.is_valid() else set()
            options = []
            for value, label in self.fields[name].choices:
                count = facets.get(f"{prefix}:{value}", 0)
                if count or value in chosen:
                    options.append(FacetOption(str(value), str(label), count, value in chosen))
            result[name] = options
        return result
