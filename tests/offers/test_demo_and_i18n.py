import re
from pathlib import Path

import pytest
from django.urls import reverse

from quartier.core.demo import DemoContext, load_all
from quartier.offers.models import Offer, ReviewState

PO_FILE = Path(__file__).resolve().parents[2] / "quartier/offers/locale/de/LC_MESSAGES/django.po"


def _msgstrs(entry: str) -> list[str]:
    """The values of an entry's msgstr (or msgstr[n]) lines with their continuation lines."""
    values: list[str] = []
    current = None
    for line in entry.splitlines():
        match = re.match(r'^msgstr(?:\[\d\])? "(.*)"$', line)
        if match:
            current = match.group(1)
            values.append(current)
        elif line.startswith('"') and current is not None:
            values[-1] += line.strip('"')
        elif not line.startswith('"'):
            current = None
    return values


def test_every_german_msgstr_is_filled():
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = text.split("\n\n")[1:]  # the first entry is the header
    empty = [entry for entry in entries if not all(_msgstrs(entry))]
    assert not empty, empty[:3]


@pytest.mark.django_db
def test_demo_offers_are_real_offers_with_hours_and_pages(client):
    ctx = load_all(DemoContext(verbosity=0))
    offers = ctx.extra["offers"]
    assert "Offene Sprechstunde im Stadtteilbüro" in offers
    assert any(o.organisation.slug == "srz-hermeskeil" for o in Offer.objects.all())
    published = Offer.objects.public()
    assert published.count() >= 6
    for offer in published:
        assert offer.schedules.exists(), offer
        assert client.get(offer.get_absolute_url()).status_code == 200
    assert Offer.objects.filter(review_state=ReviewState.IN_REVIEW).exists()
    response = client.get(reverse("offers:area_csv", kwargs={"slug": "trier-west-pallien"}))
    assert "Nachbarschaftscafé Trier-West" in response.content.decode("utf-8-sig")
