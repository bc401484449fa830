from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.core import choropleth
from quartier.monitoring import coverage
from quartier.monitoring.models import Indicator, IndicatorKind
from quartier.offers.models import TargetGroup, TaxonomyTerm


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon separated, decimal comma, UTF-8 or Windows-1252. Columns: area (official "
            "key or address), year, then indicator and value, or one column per indicator key."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check, do not save"), required=False)


def _method_choices() -> list[tuple[str, Any]]:
    return [
        (choropleth.QUANTILE, _("Quantiles (about the same number of areas per class)")),
        (choropleth.EQUAL, _("Equal intervals (classes of the same width)")),
    ]


class MapOptionsForm(forms.Form):
    """The options of a map (query string); every field may be left out."""

    kind = forms.SlugField(label=_("Kind of area"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    method = forms.ChoiceField(label=_("Class breaks"), choices=_method_choices, required=False)
    classes = forms.TypedChoiceField(
        label=_("Number of classes"),
        choices=[(n, n) for n in range(3, choropleth.MAX_CLASSES + 1)],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "method": data.get("method") or choropleth.QUANTILE,
            "classes": data.get("classes") or 5,
        }


def _per_choices() -> list[tuple[int, str]]:
    return [(n, number_format(n, force_grouping=True)) for n in coverage.PER]


def _scoped_areas(area_ids: set[int] | None) -> QuerySet[Area]:
    queryset = Area.objects.filter(children__isnull=False).distinct().order_by("name")
    return queryset if area_ids is None else queryset.filter(pk__in=area_ids)


class BackofficeMapForm(MapOptionsForm):
    """The map in the back office: any indicator, over the areas below one the user may see."""

    area = forms.ModelChoiceField(
        label=_("Enclosing area"), queryset=Area.objects.none(), to_field_name="slug"
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.all(), to_field_name="slug"
    )

    field_order = ["area", "indicator", "kind", "year", "method", "classes"]

    def __init__(self, *args: Any, area_ids: set[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _scoped_areas(area_ids)  # type: ignore[attr-defined]


class CoverageForm(MapOptionsForm):
    """What a planner sets against what: offers of a topic or target group, weighted, against
    a count of the people they are for, per N."""

    area = forms.ModelChoiceField(
        label=_("Enclosing area"), queryset=Area.objects.none(), to_field_name="slug"
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        help_text=_("Narrower topics count too."),
    )
    target_group = forms.ModelChoiceField(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        to_field_name="slug",
        required=False,
    )
    weight = forms.ChoiceField(
        label=_("Weighted by"), choices=coverage.weight_choices, initial=coverage.OFFERS
    )
    indicator = forms.ModelChoiceField(
        label=_("People they are for"),
        queryset=Indicator.objects.filter(kind=IndicatorKind.COUNT),
        to_field_name="slug",
        help_text=_("A count of the statistics, such as children under three."),
    )
    per = forms.TypedChoiceField(label=_("per"), choices=_per_choices, coerce=int, initial=1000)

    field_order = ["area", "kind", "topic", "target_group", "weight", "indicator", "per", "year"]

    def __init__(self, *args: Any, area_ids: set[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _scoped_areas(area_ids)  # type: ignore[attr-defined]
        self.fields["topic"].queryset = coverage.topics()  # type: ignore[attr-defined]
