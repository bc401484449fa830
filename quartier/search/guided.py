"""Passgenaue Hilfe: a guided search that ranks offers for a family's situation and says why
each one matched.

Privacy by construction: the situation lives only in this request (a POST form, so it stays
out of URLs, access logs and browser history; no model, no session, no log line with its
values); the view sends `Cache-Control: no-store` and `Referrer-Policy: no-referrer`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.offers.models import Language, Offer, TaxonomyTerm
from quartier.search.forms import RADIUS_CHOICES
from quartier.search.services import Hit, SearchFilters, search_offers

CANDIDATES = 100
SHOWN = 20
MAX_CHILDREN = 10


@dataclass
class Situation:
    area: Area
    ages: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    language: str = ""
    barrier_free: bool = False
    radius_km: int | None = None


@dataclass
class Match:
    hit: Hit
    score: int
    reasons: list[str]


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.kind.localized_name})"


class GuidedForm(forms.Form):
    area = AreaField(
        label=_("Social space or district"),
        queryset=Area.objects.none(),
        to_field_name="slug",
    )
    ages = forms.CharField(
        label=_("Ages of the children"),
        required=False,
        help_text=_("Years, separated by commas, for example: 2, 7"),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=TaxonomyTerm.objects.none(), required=False
    )
    language = forms.ModelChoiceField(
        label=_("Language of the family"),
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
    )
    barrier_free = forms.BooleanField(label=_("needs barrier-free access"), required=False)
    radius = forms.TypedChoiceField(
        label=_("Distance from the area's centre"),
        choices=[("", _("any")), *RADIUS_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.public().select_related("kind").order_by("kind__level", "name")
        topics = self.fields["topics"]
        assert isinstance(topics, forms.ModelMultipleChoiceField)
        topics.queryset = TaxonomyTerm.objects.order_by("taxonomy", "name")

    def clean_ages(self) -> list[int]:
        text = self.cleaned_data.get("ages") or ""
        parts = [p for p in re.split(r"[,;\s]+", text) if p]
        if len(parts) > MAX_CHILDREN:
            raise forms.ValidationError(gettext("At most %(n)d children.") % {"n": MAX_CHILDREN})
        if not all(p.isdigit() and int(p) <= 27 for p in parts):
            raise forms.ValidationError(gettext("Give ages as whole years from 0 to 27."))
        return [int(p) for p in parts]

    def situation(self) -> Situation:
        data = self.cleaned_data
        return Situation(
            area=data["area"],
            ages=data["ages"],
            topics=[str(term.pk) for term in data["topics"]],
            language=data["language"].code if data.get("language") else "",
            barrier_free=bool(data.get("barrier_free")),
            radius_km=data.get("radius"),
        )


def _age_fit(offer: Offer, ages: list[int]) -> tuple[list[int], list[str]]:
    """(the children's ages the offer suits, the target groups whose age band they fit).

    The offer's own age range decides when it has one; else the age bands of its target
    groups ("Kleinkinder", 0 to 3) do. Without either, no age fits in particular."""
    if offer.min_age is not None or offer.max_age is not None:
        low = offer.min_age if offer.min_age is not None else 0
        high = offer.max_age if offer.max_age is not None else 200
        return [age for age in ages if low <= age <= high], []
    fitting: set[int] = set()
    groups: list[str] = []
    for group in offer.target_groups.all():
        if group.min_age is None and group.max_age is None:
            continue
        low = group.min_age if group.min_age is not None else 0
        high = group.max_age if group.max_age is not None else 200
        matched = [age for age in ages if low <= age <= high]
        if matched:
            fitting.update(matched)
            groups.append(group.localized_name)
    return sorted(fitting), groups


def _judge(hit: Hit, offer: Offer, situation: Situation) -> Match:
    score = 0
    reasons: list[str] = []
    topics = hit.summary.topics  # read with the hit: no query per offer
    topic_ids = {str(term.pk) for term in topics}
    matched_topics = [t.localized_name for t in topics if str(t.pk) in situation.topics]
    if matched_topics:
        score += 3 * len(matched_topics)
        reasons.append(gettext("Topic: %(topics)s") % {"topics": ", ".join(matched_topics)})
    fitting, groups = _age_fit(offer, situation.ages)
    if fitting:
        score += 2
        ages = ", ".join(str(age) for age in fitting)
        if groups:
            reasons.append(
                gettext("For %(groups)s: suits the age of the child (%(ages)s years)")
                % {"groups": ", ".join(groups), "ages": ages}
            )
        else:
            reasons.append(gettext("Suits the age of the child (%(ages)s years)") % {"ages": ages})
    if situation.language and situation.language in {lang.code for lang in offer.languages.all()}:
        score += 2
        reasons.append(gettext("Offered in the family's language"))
    if situation.barrier_free:
        reasons.append(gettext("Barrier-free place"))
    if hit.distance_m is not None:
        score += 2 if hit.distance_m < 2000 else 1 if hit.distance_m < 5000 else 0
        reasons.append(gettext("%(km).1f km away") % {"km": hit.distance_km})
    if hit.serves_all_of:
        # Found for the area as an offer of one enclosing it: say so, or it looks misfiled.
        reasons.append(gettext("Serves all of %(area)s") % {"area": hit.serves_all_of})
    elif not reasons or not (topic_ids or fitting):
        reasons.append(gettext("Serves this area"))
    return Match(hit=hit, score=score, reasons=reasons)


def rank(situation: Situation) -> list[Match]:
    """Offers serving the area (its own, those of areas below it and those of the areas
    enclosing it, such as a city-wide counselling service) or near its centre, ranked by how
    well they fit."""
    area = situation.area
    # With a distance: everything around the area's centre; without: what serves the area.
    filters = SearchFilters(barrier_free=situation.barrier_free, topics=situation.topics)
    if situation.radius_km and area.centre_lat is not None and area.centre_lon is not None:
        filters.near = (area.centre_lat, area.centre_lon)
        filters.radius_m = situation.radius_km * 1000.0
        filters.sort = "distance"
    else:
        filters.areas = [area.pk]
    result = search_offers(filters=filters, per_page=CANDIDATES)
    found = [(hit, offer) for hit in result.hits if (offer := hit.offer) is not None]
    prefetch_related_objects([offer for _hit, offer in found], "languages", "target_groups")
    matches = [_judge(hit, offer, situation) for hit, offer in found]
    # Equal fit: the area's own offers before those of the areas enclosing it.
    matches.sort(
        key=lambda m: (
            -m.score,
            bool(m.hit.serves_all_of),
            m.hit.distance_m or 0.0,
            m.hit.summary.name,
        )
    )
    return matches[:SHOWN]
