"""Where is "Hauptstraße 5, Trier"? Addresses resolved against the catalogue's own places.

There is no network geocoder (the machines have none, and a municipality may not want its
residents' searches sent to one). The places we know are the addresses of the locations of
public offers, the addresses of active organisations, the towns and postcodes these lie in,
and the names of public areas (at their centre). Matching ignores case, umlauts and ß
(analysis.fold: "Muehlenweg" finds "Mühlenweg"), accepts "Str." for "Straße" and word
beginnings ("Haupt 5 Tri"); numbers must match whole ("5" is not "54290").

`resolve` returns no place (unknown), one (found) or several (the caller offers the choices).
Reads only; three to five queries.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Q, Value
from django.db.models.functions import Lower, Replace

from quartier.areas.models import Area
from quartier.directory.models import Organisation
from quartier.offers.models import Location
from quartier.search.analysis import fold
from quartier.search.models import SearchPoint

MAX_CHOICES = 8
MIN_PIECE = 3  # shortest text the database prefilter searches for
PLAIN_PIECE = 5  # shortest part without a, o, u or ss that the prefilter takes alone
FEW_SPELLINGS = 9
MAX_SPELLINGS = 27
POSTCODE_DIGITS = 5

KIND_ORDER = {"area": 0, "town": 1, "address": 2}
_STREET = re.compile(r"(?<=[a-z])str\b\.?|\bstr\b\.?")
_TOKEN = re.compile(r"[0-9a-z]+")
# The database prefilter looks for the longest part of the folded query between "str" (which
# the data may write as "str." or "straße") and anything but letters and digits.
_PIECES = re.compile(r"[^a-z0-9]+|str")
_PLAIN = re.compile(r"[aou]|ss")
_UMLAUTS = {"a": "ä", "o": "ö", "u": "ü"}
# analysis.fold in SQL (both backends): SQLite's lower() leaves Ä, Ö, Ü as they are.
_SQL_FOLD = (
    ("Ä", "a"),
    ("Ö", "o"),
    ("Ü", "u"),
    ("ä", "a"),
    ("ö", "o"),
    ("ü", "u"),
    ("ß", "ss"),
    ("ae", "a"),
    ("oe", "o"),
    ("ue", "u"),
)


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float
    kind: str  # "address", "town" or "area"


@dataclass
class _Candidate:
    label: str
    kind: str
    tokens: tuple[str, ...]
    points: list[tuple[float, float]]

    def place(self) -> Place:
        lat = sum(p[0] for p in self.points) / len(self.points)
        lon = sum(p[1] for p in self.points) / len(self.points)
        return Place(self.label, round(lat, 6), round(lon, 6), self.kind)


def tokens(text: str) -> tuple[str, ...]:
    """Folded words and numbers; "str"/"str." at a word's end read as "strasse"."""
    folded = _STREET.sub("strasse", fold(text))
    return tuple(_TOKEN.findall(folded))


def _matches(query: tuple[str, ...], label: tuple[str, ...]) -> int | None:
    """None if a query word is missing from the label, else the label words left over
    (fewer is a closer match). Numbers match whole, words also as a word's beginning."""
    used: set[int] = set()
    for word in query:
        digits = any(ch.isdigit() for ch in word)
        found = [
            index
            for index, part in enumerate(label)
            if part == word or (not digits and part.startswith(word))
        ]
        if not found:
            return None
        used.update(found)
    return len(label) - len(used)


def _pieces(text: str) -> list[str]:
    """Parts of the folded query that the folded data contains as they are (longest first)."""
    parts = [p for p in _PIECES.split(fold(text)) if len(p) >= MIN_PIECE]
    return sorted(set(parts), key=lambda p: (-len(p), p))


def _spellings(piece: str) -> list[str]:
    """How the data may write a folded piece: each a, o, u also as ä, ö, ü or ae, oe, ue
    (and as Ä, Ö, Ü at the start: SQLite's LIKE ignores case for ASCII only), ss as ß."""
    options: list[list[str]] = []
    index = 0
    while index < len(piece):
        char = piece[index]
        if piece.startswith("ss", index):
            options.append(["ss", "ß"])
            index += 2
            continue
        if char in _UMLAUTS:
            umlaut = _UMLAUTS[char]
            options.append([char, umlaut, char + "e", *([umlaut.upper()] if index == 0 else [])])
        else:
            options.append([char])
        index += 1
    return ["".join(combination) for combination in itertools.product(*options)]


def _patterns(text: str) -> list[str] | None:
    """Texts of which the data of every matching place contains at least one (as LIKE, case
    aside); None when no short list will do. Best a part without a, o, u or ss (written
    the same in every spelling), else the longest part with few spellings."""
    pieces = _pieces(text)
    plain = sorted(
        {part for piece in pieces for part in _PLAIN.split(piece) if len(part) >= PLAIN_PIECE},
        key=lambda part: (-len(part), part),
    )
    if plain:
        return [plain[0]]
    options = []
    for piece in pieces:
        spellings = _spellings(piece)
        if len(spellings) <= MAX_SPELLINGS:
            options.append((len(spellings) > FEW_SPELLINGS, -len(piece), spellings))
    return min(options)[2] if options else None


def _folded(column: str) -> Any:
    expression: Any = Lower(column)
    for written, plain in _SQL_FOLD:
        expression = Replace(expression, Value(written), Value(plain))
    return expression


def _prefilter(model: Any, text: str) -> Any:
    """The rows of `model` (street, postcode, city) that may match `text`: LIKE on a few
    spellings when possible (an index-free scan, but a cheap one); else analysis.fold in SQL
    (ten REPLACEs per column and row: correct, and some ten times slower)."""
    patterns = _patterns(text)
    if patterns is not None:
        condition = Q()
        for pattern in patterns:
            condition |= (
                Q(street__icontains=pattern)
                | Q(city__icontains=pattern)
                | Q(postcode__startswith=pattern)
            )
        return model.filter(condition)
    piece = _pieces(text)[0]
    return model.alias(folded_street=_folded("street"), folded_city=_folded("city")).filter(
        Q(folded_street__contains=piece)
        | Q(folded_city__contains=piece)
        | Q(postcode__startswith=piece)
    )


def _sources(text: str) -> list[Any]:
    """The public places' QuerySets (offers' locations, organisations), prefiltered."""
    if not _pieces(text):
        return []
    locations = Location.objects.filter(
        pk__in=SearchPoint.objects.values("location_id"), lat__isnull=False
    )
    organisations = Organisation.objects.active().filter(lat__isnull=False)
    return [_prefilter(locations.order_by(), text), _prefilter(organisations.order_by(), text)]


class _Gazetteer:
    """Candidates by kind and folded label; every label folded once."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], _Candidate] = {}
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}

    def add(self, kind: str, label: str, lat: float, lon: float) -> None:
        key = self.keys.get((kind, label))
        if key is None:
            key = self.keys[(kind, label)] = (kind, fold(" ".join(label.split())))
        if key not in self.found:
            label = " ".join(label.split())
            self.found[key] = _Candidate(label, kind, tokens(label), [])
        self.found[key].points.append((lat, lon))

    def scored(self, query: tuple[str, ...]) -> list[tuple[int, int, str, _Candidate]]:
        result = []
        for (kind, folded), candidate in self.found.items():
            left = _matches(query, candidate.tokens)
            if left is not None:
                result.append((left, KIND_ORDER[kind], folded, candidate))
        return sorted(result, key=lambda item: item[:3])


def _scored(text: str, query: tuple[str, ...]) -> list[tuple[int, int, str, _Candidate]]:
    """Matching candidates, closest first. Areas and towns come first (a few rows: grouped in
    SQL); the addresses are read only when no area or town matches ("Konz" or "54290" need
    none of the thousands of addresses there)."""
    gazetteer = _Gazetteer()
    areas = Area.objects.public().filter(centre_lat__isnull=False, centre_lon__isnull=False)
    for name, lat, lon in areas.values_list("name", "centre_lat", "centre_lon"):
        gazetteer.add("area", name, lat, lon)
    sources = _sources(text)
    for source in sources:
        towns = source.exclude(city="").values("postcode", "city")
        for postcode, city, lat, lon in towns.annotate(
            mean_lat=Avg("lat"), mean_lon=Avg("lon")
        ).values_list("postcode", "city", "mean_lat", "mean_lon"):
            gazetteer.add("town", city, lat, lon)
            if postcode:
                gazetteer.add("town", f"{postcode} {city}", lat, lon)
    scored = gazetteer.scored(query)
    if scored:
        # Every word of the query is in an area's or a town's name: an address there has
        # the same words and more, so it could at best tie.
        return scored
    # A short number can only be a house number (postcodes have five digits): in the street.
    numbers = [word for word in query if word[:1].isdigit() and len(word) < POSTCODE_DIGITS]
    for source in sources:
        rows = source.exclude(street="").filter(
            *[Q(street__icontains=number) for number in numbers]
        )
        rows = rows.values_list("street", "postcode", "city", "lat", "lon")
        for street, postcode, city, lat, lon in rows:
            town = " ".join(part for part in (postcode, city) if part)
            gazetteer.add("address", ", ".join(part for part in (street, town) if part), lat, lon)
    return gazetteer.scored(query)


def resolve(text: str) -> list[Place]:
    """The places `text` may mean: [] none, [one] the place, several: let the user choose
    (the closest matches first, at most MAX_CHOICES).

    The closest match wins when it leaves fewer words of its label unmatched than any other
    ("54290" is the postcode, not one of the streets in it); an area and a town of the same
    name are one place (the area's centre is taken). Three to five queries.
    """
    query = tokens(text)
    if not query:
        return []
    scored = _scored(text, query)
    if not scored:
        return []
    best = [item for item in scored if item[0] == scored[0][0]]
    if len({folded for _left, _kind, folded, _c in best}) == 1:
        return [best[0][3].place()]
    return [item[3].place() for item in scored[:MAX_CHOICES]]
