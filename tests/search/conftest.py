import pytest

from tests.factories.offers import (
    LanguageFactory,
    LocationFactory,
    OfferFactory,
    TargetGroupFactory,
    TaxonomyTermFactory,
)


@pytest.fixture
def catalogue(db):
    """A few offers in Trier, indexed through the signals as they are created."""
    beratung = TaxonomyTermFactory(code="beratung", name="Beratung")
    kita = TaxonomyTermFactory(code="kita", name="Kindertagesbetreuung")
    parents = TargetGroupFactory(slug="eltern", name="Eltern")
    arabic = LanguageFactory(code="ar", name="Arabisch")
    german = LanguageFactory(code="de", name="Deutsch")
    centre = LocationFactory(lat=49.7500, lon=6.6400, wheelchair_accessible=True)
    west = LocationFactory(lat=49.7560, lon=6.6150)
    far = LocationFactory(lat=49.9000, lon=6.9000)
    offers = {
        "schulden": OfferFactory(
            name="Schuldnerberatung der Caritas",
            description="Hilfe bei Schulden und Insolvenz.",
            topics=[beratung],
            languages=[german, arabic],
            locations=[west],
        ),
        "familie": OfferFactory(
            name="Familienbüro Trier-West",
            description="Beratungen für Familien, auch auf Arabisch.",
            topics=[beratung],
            target_groups=[parents],
            languages=[arabic],
            locations=[centre],
            cost="fee",
        ),
        "kita": OfferFactory(
            name="Kindertagesstätte St. Martin",
            description="Betreuung für Kinder von 1 bis 6 Jahren.",
            topics=[kita],
            target_groups=[parents],
            languages=[german],
            locations=[far],
            min_age=1,
            max_age=6,
        ),
        "asd": OfferFactory(
            name="Allgemeiner Sozialer Dienst",
            description="Ansprechpartner im Jugendamt.",
            topics=[beratung],
            locations=[centre],
        ),
        "draft": OfferFactory(
            name="Geheime Beratung (Entwurf)", review_state="draft", topics=[beratung]
        ),
    }
    return {"offers": offers, "beratung": beratung, "kita": kita, "parents": parents}
