"""The search form (GET): parses the page's and the API's query string into SearchFilters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.core.geo import BBox
from quartier.core.vocabulary import localized
from quartier.offers.models import Language, TargetGroup, TaxonomyTerm
from quartier.search import facetindex, places
from quartier.search.pipeline import DEFAULT_RADIUS_M, MAX_RADIUS_M, SearchFilters

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
    ("", _("automatic: by distance near a place, else best match")),
    ("relevance", _("best match")),
    ("distance", _("distance")),
    ("name", _("name")),
]
DEFAULT_RADIUS_KM = int(DEFAULT_RADIUS_M / 1000)
RADIUS_CHOICES = [
    ("1", "1 km"),
    ("2", "2 km"),
    ("5", "5 km"),
    ("10", "10 km"),
    ("25", "25 km"),
    ("50", "50 km"),
]


WHERE_ANCHOR = "search-where"  # the id of the form's "Where" fieldset


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class ActiveFilter:
    """One filter the search applies, shown as a removable chip: `name` and `value` are the
    query parameter and the value to drop (a yes/no filter or a single-valued field drops
    the whole parameter)."""

    name: str
    value: str
    field_label: str
    value_label: str


class KnownChoices(BaseChoiceIterator):
    """Choices that are (value, label) pairs already. A field normalises the choices it is
    given unless they come as a choice iterator, and the cached lists of a process need no
    normalising again for every form (3 ms per request at 40 areas)."""

    def __init__(self, pairs: Sequence[tuple[str, Any]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.pairs)


def _vocabularies() -> dict[str, Any]:
    """The form's choices. All terms, no join with the offers: the facet counts decide what
    is shown. Kept per process until a vocabulary changes (FacetIndex.cached; the search
    signals report changes of topics, target groups, languages and areas)."""
    areas = list(Area.objects.public().select_related("kind").order_by("kind__level", "name"))
    centres = {a.slug: (a.centre_lat, a.centre_lon) for a in areas if a.centre_lat is not None}
    topics = TaxonomyTerm.objects.values_list("pk", "name", "name_en")
    groups = TargetGroup.objects.values_list("slug", "name", "name_en")
    languages = Language.objects.values_list("code", "name", "name_en")
    return {
        "topic": sorted(
            ((str(pk), localized(name, name_en)) for pk, name, name_en in topics),
            key=lambda pair: pair[1],
        ),
        "group": [(slug, localized(name, name_en)) for slug, name, name_en in groups],
        "lang": [(code, localized(name, name_en)) for code, name, name_en in languages],
        "area": [(str(a.pk), f"{a.name} ({a.kind.localized_name})") for a in areas],
        "centres": centres,
        "near": [("", _("anywhere")), *((a.slug, a.name) for a in areas if a.slug in centres)],
    }


class DefaultedChoiceField(forms.TypedChoiceField):
    """A select that shows its initial value as chosen when the (bound) form left it empty:
    else the browser shows the first option, and the next submit would send that one."""

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial if data in (None, "") else data


def _labels(field: forms.ChoiceField) -> dict[str, str]:
    choices = cast("Iterable[tuple[str, Any]]", field.choices)
    return {str(value): str(label) for value, label in choices}


# The filters with counted values, and the yes/no filters, as the page and the API show them.
FACET_FIELDS = ("topic", "group", "area", "lang")
FLAGS = ("free", "barrier_free", "open_now")


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
    address = forms.CharField(
        label=_("Near an address or place"),
        required=False,
        max_length=200,
        help_text=_("Street and house number with town, a postcode or the name of a district"),
    )
    near = forms.ChoiceField(label=_("Near the area"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius = DefaultedChoiceField(
        label=_("Radius"),
        choices=RADIUS_CHOICES,
        required=False,
        coerce=int,
        empty_value=DEFAULT_RADIUS_KM,  # type: ignore[arg-type]  # any value will do
        initial=DEFAULT_RADIUS_KM,
    )
    bbox = forms.CharField(label=_("Map section"), required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    # Any text: the search clamps the number to 1..MAX_PAGE and says so (see clean_page).
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_notice = ""
        self.place: places.Place | None = None  # where the address was found
        self.address_choices: list[places.Place] = []  # when it may mean several places
        # The search index, current as of this form: the search takes it from here, so one
        # request reads the change log once.
        self.index = facetindex.current()
        vocabularies = self.index.cached(f"search-form:{get_language()}", _vocabularies)
        for name in (*FACET_FIELDS, "near"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = KnownChoices(vocabularies[name])
        self.area_centres: dict[str, tuple[float, float]] = vocabularies["centres"]

    def clean_page(self) -> int:
        """The page number; out of range or not a number, the search shows the nearest page
        and a notice (`page_notice` for text that is no number) instead of an error."""
        text = (self.cleaned_data.get("page") or "").strip()
        self.page_notice = ""
        if not text:
            return 1
        try:
            return int(text)
        except ValueError:
            self.page_notice = _("The page number “%(value)s” is not a number: showing page 1.") % {
                "value": text[:20]
            }
            return 1

    def clean_bbox(self) -> BBox | None:
        text = self.cleaned_data.get("bbox") or ""
        if not text:
            return None
        try:
            return BBox.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        address = data.get("address") or ""
        if address:
            found = places.resolve(address)
            if len(found) == 1:
                self.place = found[0]
            elif found:
                self.address_choices = found
                self.add_error(
                    "address",
                    _("“%(address)s” may mean several places: choose one.") % {"address": address},
                )
            else:
                self.add_error(
                    "address",
                    _(
                        "No place known here matches “%(address)s”. Give a street with house "
                        "number and town, a postcode or the name of a district, or choose an "
                        "area below."
                    )
                    % {"address": address},
                )
        return data

    def centre(self) -> tuple[float, float] | None:
        """Where to search around: the address, else lat/lon, else the chosen area's centre."""
        data = self.cleaned_data
        if self.place:
            return (self.place.lat, self.place.lon)
        if data.get("lat") is not None and data.get("lon") is not None:
            return (data["lat"], data["lon"])
        if data.get("near"):
            return self.area_centres.get(data["near"])
        return None

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        near = self.centre()
        radius_km = data.get("radius") or DEFAULT_RADIUS_KM
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

    def error_list(self) -> list[tuple[str, str, str]]:
        """(anchor, field label, message) of every error, for the summary above the form.
        Fields without a visible control of their own point to the "Where" fieldset."""
        hidden = {"lat", "lon", "bbox", "page", NON_FIELD_ERRORS}
        result: list[tuple[str, str, str]] = []
        for name, errors in self.errors.items():
            anchor = WHERE_ANCHOR if name in hidden else self[name].auto_id
            label = "" if name == NON_FIELD_ERRORS else str(self.fields[name].label or "")
            result += [(anchor, label, str(error)) for error in errors]
        return result

    def count_weekdays(self, facets: dict[str, int]) -> None:
        """Put the number of offers open on each weekday into the select's labels (this
        form's own copy of the field: the class's choices stay as they are)."""
        field = self.fields["weekday"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (value, f"{label} ({facets.get(f'weekday:{value}', 0)})" if value else label)
            for value, label in WEEKDAYS
        ]

    def facet_options(self, facets: dict[str, int]) -> dict[str, list[FacetOption]]:
        """Options with counts per facet field: values with hits, and those already ticked."""
        result: dict[str, list[FacetOption]] = {}
        for name in FACET_FIELDS:
            # Also on a form with errors: the values of the fields without errors stay ticked.
            chosen = set(getattr(self, "cleaned_data", {}).get(name) or [])
            options = []
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            choices = cast("Iterable[tuple[str, Any]]", field.choices)
            for value, label in choices:
                count = facets.get(f"{name}:{value}", 0)
                if count or value in chosen:
                    options.append(FacetOption(str(value), str(label), count, value in chosen))
            result[name] = options
        return result

    def active_filters(self) -> list[ActiveFilter]:
        """The filters this search applies (the text query and the order are not filters),
        labelled in the vocabularies' language; also on a form with errors, from the fields
        without errors."""
        data = getattr(self, "cleaned_data", {})
        result: list[ActiveFilter] = []
        for name in FACET_FIELDS:
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            labels = _labels(field)
            for value in data.get(name) or []:
                result.append(
                    ActiveFilter(name, str(value), str(field.label), labels.get(str(value), value))
                )
        for name in FLAGS:
            if data.get(name):
                label = str(self.fields[name].label)
                result.append(ActiveFilter(name, "", label, ""))
        if data.get("weekday") is not None:
            day = dict(WEEKDAYS)[str(data["weekday"])]
            result.append(ActiveFilter("weekday", "", str(self.fields["weekday"].label), str(day)))
        if data.get("address"):
            label = str(self.fields["address"].label)
            result.append(ActiveFilter("address", "", label, data["address"]))
        if data.get("near"):
            field = self.fields["near"]
            assert isinstance(field, forms.ChoiceField)
            names = _labels(field)
            near = data["near"]
            result.append(ActiveFilter("near", "", str(field.label), names.get(near, near)))
        return result
