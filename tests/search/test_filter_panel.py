"""The search page's layout: the active filters as removable chips, the count of results in a
live region, and the filters in a panel (details/summary) that works without JavaScript."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

CHIP = re.compile(r'<a class="chip" href="([^"]*)">(.*?)</a>', re.S)


def _chips(content: str) -> dict[str, dict[str, list[str]]]:
    """{accessible text of the chip: the query of its link}."""
    found = {}
    for href, inner in CHIP.findall(content):
        text = " ".join(re.sub(r"<[^>]+>", " ", inner.replace("×", "")).split())
        found[text] = parse_qs(urlsplit(html.unescape(href)).query)
    return found


def _get(client, params, **headers):
    response = client.get(reverse("search:search"), params, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_each_chip_removes_exactly_its_filter_and_keeps_the_others(client, catalogue):
    topic = str(catalogue["beratung"].pk)
    content = _get(client, {"q": "Beratung", "topic": topic, "lang": "ar", "free": "on"})
    chips = _chips(content)
    assert set(chips) == {
        "Filter entfernen: Thema Beratung",
        "Filter entfernen: Sprache Arabisch",
        "Filter entfernen: kostenlos",
    }
    assert chips["Filter entfernen: Thema Beratung"] == {
        "q": ["Beratung"],
        "lang": ["ar"],
        "free": ["on"],
    }
    assert chips["Filter entfernen: Sprache Arabisch"] == {
        "q": ["Beratung"],
        "topic": [topic],
        "free": ["on"],
    }
    assert chips["Filter entfernen: kostenlos"] == {
        "q": ["Beratung"],
        "topic": [topic],
        "lang": ["ar"],
    }


def test_a_chip_of_a_multiple_choice_drops_only_its_value_and_the_page(client, catalogue):
    content = _get(client, {"lang": ["ar", "de"], "page": "2"})
    chips = _chips(content)
    assert chips["Filter entfernen: Sprache Arabisch"] == {"lang": ["de"]}
    assert chips["Filter entfernen: Sprache Deutsch"] == {"lang": ["ar"]}


def test_remove_all_filters_keeps_the_text_only_from_two_filters(client, catalogue):
    content = _get(client, {"q": "Beratung", "lang": "ar", "free": "on"})
    assert '<a class="chips-clear" href="/angebote/?q=Beratung">Alle Filter entfernen</a>' in (
        content
    )
    one = _get(client, {"q": "Beratung", "lang": "ar"})
    assert len(_chips(one)) == 1
    assert "Alle Filter entfernen" not in one


def test_no_chips_without_a_filter(client, catalogue):
    content = _get(client, {"q": "Beratung"})
    assert 'class="chip"' not in content
    assert "Aktive Filter" not in content
    assert "<summary>Filter</summary>" in content


def test_chips_use_the_vocabulary_in_english(client, catalogue):
    term = catalogue["beratung"]
    term.name_en = "Counselling"
    term.save()
    content = _get(client, {"topic": str(term.pk)}, HTTP_ACCEPT_LANGUAGE="en")
    assert set(_chips(content)) == {"Remove filter: Topic Counselling"}
    assert "<summary>Filters (1 active)</summary>" in content


@pytest.mark.parametrize(
    ("language", "query", "count"),
    [
        ("de", "Kindertagesstätte", "1 Angebot gefunden"),
        ("de", "Beratung", "3 Angebote gefunden"),
        ("en", "Kindertagesstätte", "1 offer found"),
        ("en", "Beratung", "3 offers found"),
    ],
)
def test_count_of_results_in_a_live_region(client, catalogue, language, query, count):
    content = _get(client, {"q": query}, HTTP_ACCEPT_LANGUAGE=language)
    region = re.search(r'id="search-count" role="status">(.*?)</p>', content)
    assert region, "the count's live region is missing"
    assert region.group(1).strip() == count


def test_filters_sit_in_a_closed_panel_with_the_number_of_active_filters(client, catalogue):
    content = _get(client, {"q": "Beratung", "lang": "ar", "free": "on"})
    assert '<details class="search-filters" id="search-filters">' in content
    assert "<summary>Filter (2 aktiv)</summary>" in content
    # Results first: the count and the form's search field before the panel, the hits after.
    assert content.index('id="search-count"') < content.index('id="search-filters"')
    assert content.index('name="q"') < content.index('id="search-filters"')
    assert content.index('id="search-filters"') < content.index('class="cards search-hits"')
    assert content.index('class="chip"') < content.index('class="cards search-hits"')


def test_the_panel_is_open_when_a_field_is_marked(client, catalogue):
    response = client.get(reverse("search:search"), {"topic": "xyz"})
    assert response.status_code == 400
    assert '<details class="search-filters" id="search-filters" open>' in response.content.decode()


def test_works_without_javascript_as_a_plain_get_form(client, catalogue):
    content = _get(client, {"q": "Beratung"})
    assert re.search(r'<form method="get" action="/angebote/"', content)
    assert '<button type="submit">Filter anwenden</button>' in content
    assert "js/search-filters.js" in content  # an enhancement only, loaded deferred


def test_htmx_partial_carries_chips_and_the_count_out_of_band(client, catalogue):
    content = _get(client, {"q": "Beratung", "lang": "ar"}, HTTP_HX_REQUEST="true")
    assert "<html" not in content
    assert 'id="search-count" role="status" hx-swap-oob="innerHTML">2 Angebote gefunden' in content
    assert set(_chips(content)) == {"Filter entfernen: Sprache Arabisch"}
    assert '<details class="search-filters"' in content


def test_the_full_page_has_no_out_of_band_marker(client, catalogue):
    content = _get(client, {"q": "Beratung"})
    assert "hx-swap-oob" not in content
    assert content.count('id="search-count"') == 1
