import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.offers.models import OfferStatus
from quartier.offers.selectors import DiffPart, offer_history, text_diff

LONG = (
    "Das Familiencafé im Nachbarschaftshaus ist ein offener Treffpunkt für Eltern mit kleinen "
    "Kindern. Bei Kaffee und Kuchen kommen Familien aus dem Viertel miteinander ins Gespräch, "
    "die Kinder spielen in der Spielecke, und eine Fachkraft der Frühen Hilfen beantwortet "
    "Fragen rund um Schlaf, Essen und Entwicklung. Eine Anmeldung ist nicht nötig. "
    "Das Angebot ist kostenlos und findet jeden Montag von 9 bis 12 Uhr statt."
)
CHANGED_AT_THE_END = LONG.replace(
    "jeden Montag von 9 bis 12 Uhr", "jeden Dienstag von 10 bis 13 Uhr"
)


def _texts(parts, kind):
    return [part.text for part in parts if part.kind == kind]


def test_a_change_at_the_end_of_a_long_text_shows_where_it_is():
    assert len(LONG) > 300
    before, after = text_diff(LONG, CHANGED_AT_THE_END)
    assert _texts(before, "del") == ["Montag von 9 bis 12"]
    assert _texts(after, "ins") == ["Dienstag von 10 bis 13"]
    # The unchanged start is left out, a few words of context stay around the change.
    assert before[0] == DiffPart("gap") and after[0] == DiffPart("gap")
    assert _texts(before, "same") == [
        "nötig. Das Angebot ist kostenlos und findet jeden",  # eight words of context
        "Uhr statt.",
    ]
    assert "Familiencafé" not in " ".join(part.text for part in before + after)


def test_a_change_in_the_middle_keeps_context_on_both_sides():
    old = " ".join(f"w{index}" for index in range(40))
    new = old.replace("w20", "neu")
    before, after = text_diff(old, new, context=3)
    assert [part.kind for part in before] == ["gap", "same", "del", "same", "gap"]
    assert before[1].text == "w17 w18 w19" and before[3].text == "w21 w22 w23"
    assert [part.kind for part in after] == ["gap", "same", "ins", "same", "gap"]


def test_added_removed_and_empty_values():
    assert text_diff("", "Neu hier") == ([], [DiffPart("ins", "Neu hier")])
    assert text_diff("Weg damit", "") == ([DiffPart("del", "Weg damit")], [])
    assert text_diff("gleich", "gleich") == ([], [])
    assert text_diff("zwei  Leerzeichen", "zwei Leerzeichen") == (
        [DiffPart("layout")],
        [DiffPart("layout")],
    )


def test_line_breaks_are_kept_inside_the_diff():
    before, after = text_diff("Erste Zeile\nzweite Zeile", "Erste Zeile\nandere Zeile")
    assert before == [
        DiffPart("same", "Erste Zeile\n"),
        DiffPart("del", "zweite"),
        DiffPart("same", "Zeile"),
    ]
    assert after[1] == DiffPart("ins", "andere")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "Haus", "\n"]), max_size=30),
    st.lists(st.sampled_from(["a", "b", "c", "Haus", "\n"]), max_size=30),
)
def test_without_gaps_the_diff_rebuilds_both_texts(old_words, new_words):
    old, new = " ".join(old_words), " ".join(new_words)
    before, after = text_diff(old, new, context=100)
    if re.findall(r"\S+|\n", old) == re.findall(r"\S+|\n", new):
        return
    assert all(part.kind in ("same", "del") for part in before)
    assert all(part.kind in ("same", "ins") for part in after)
    words = re.compile(r"\S+|\n")
    assert words.findall(" ".join(part.text for part in before)) == words.findall(old)
    assert words.findall(" ".join(part.text for part in after)) == words.findall(new)


@pytest.mark.django_db
def test_history_page_shows_the_changed_end_of_a_description(world, django_assert_max_num_queries):
    offer = world.offer
    offer.description = LONG
    offer.save()
    offer.description = CHANGED_AT_THE_END
    offer.save()
    [latest, *_rest] = offer_history(offer)
    [change] = [change for change in latest.changes if change.label == "Beschreibung"]
    assert _texts(change.after, "ins") == ["Dienstag von 10 bis 13"]

    client = world.client("editor")
    url = reverse("backoffice:offers:history", kwargs={"pk": offer.pk})
    with django_assert_max_num_queries(12):
        response = client.get(url, headers={"accept-language": "en"})
    html = response.content.decode()
    assert (
        '<ins><span class="visually-hidden">added: </span>Dienstag von 10 bis 13'
        '<span class="visually-hidden"> end of addition</span></ins>'
    ) in html
    assert (
        '<del><span class="visually-hidden">removed: </span>Montag von 9 bis 12'
        '<span class="visually-hidden"> end of removal</span></del>'
    ) in html
    assert "unchanged text left out" in html


@pytest.mark.django_db
def test_history_shows_choices_by_their_label(world):
    offer = world.offer
    offer.status = "paused"
    offer.save()
    [change] = [c for c in offer_history(offer)[0].changes if c.label == "Status"]
    assert str(OfferStatus.PAUSED.label) != "paused"  # German labels in the tests
    assert change.before == [DiffPart("del", str(OfferStatus.ACTIVE.label))]
    assert change.after == [DiffPart("ins", str(OfferStatus.PAUSED.label))]


@pytest.mark.django_db
def test_history_is_not_shown_to_anonymous_or_other_organisations(world):
    url = reverse("backoffice:offers:history", kwargs={"pk": world.offer.pk})
    response = world.client("anonymous").get(url)
    assert response.status_code == 302 and "?next=" in response["Location"]
    other = reverse("backoffice:offers:history", kwargs={"pk": world.other_offer.pk})
    assert world.client("editor").get(other).status_code == 403


@pytest.mark.django_db
def test_history_of_an_unknown_offer_is_404(world):
    url = reverse(
        "backoffice:offers:history", kwargs={"pk": "00000000-0000-0000-0000-000000000000"}
    )
    assert world.client("coordinator").get(url).status_code == 404
