"""A county with a city, two quarters and a block, and an offer at each level: offers of an
enclosing area serve every area inside it (issue #17)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.factories.areas import AreaFactory, link
from tests.factories.offers import OfferFactory


@dataclass
class Nesting:
    county: Any
    city: Any
    quarter: Any
    sibling: Any
    block: Any
    offers: dict[str, Any]


def build_nesting() -> Nesting:
    county = AreaFactory(slug="lk-trier-saarburg", name="Trier-Saarburg", kind__level=1)
    city = AreaFactory(slug="trier", name="Trier", kind__level=2, kind__slug="stadt")
    quarter = AreaFactory(slug="trier-nord", name="Trier-Nord", kind__level=3, kind__slug="st")
    sibling = AreaFactory(slug="trier-sued", name="Trier-Süd", kind__level=3, kind__slug="st")
    block = AreaFactory(slug="maximin", name="Maximin", kind__level=4, kind__slug="block")
    link(county, city)
    link(city, quarter)
    link(city, sibling)
    link(quarter, block)
    offers = {
        "county": OfferFactory(name="Aaa Suchtberatung im Kreis", areas=[county]),
        "city": OfferFactory(name="Erziehungsberatung Trier", areas=[city]),
        "quarter": OfferFactory(name="Stadtteiltreff Nord", areas=[quarter]),
        "block": OfferFactory(name="Zzz Blocktreff Maximin", areas=[block]),
        "sibling": OfferFactory(name="Mittagstisch Süd", areas=[sibling]),
        "draft": OfferFactory(name="Entwurf Stadt", areas=[city], review_state="draft"),
    }
    return Nesting(county, city, quarter, sibling, block, offers)
