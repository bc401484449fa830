"""The area filter: an offer serves its own areas, the areas below them and, filed under a
larger area (a city-wide Erziehungsberatung), every area inside that one too.

The index keeps two facet keys per area (indexing.facet_keys): "area:<id>" holds the offers
of the area and of every area below it, "at:<id>" only those filed under the area itself. A
filter for the quarter Q of the city C is "area:Q" or "at:C": the offers of Q and its blocks,
and the city-wide ones, but not those of a sibling quarter (which "area:C" would bring). The
enclosing areas come from the hierarchy the process keeps (areas.selectors.hierarchy, one
query after a change of areas or their links), so the filter costs no query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyroaring import BitMap

from quartier.areas.selectors import hierarchy
from quartier.search.facetindex import FacetIndex
from quartier.search.indexing import DIRECT_AREA

AREA = "area:"

# id -> (name, level of its kind, ids of all areas above it)
Tree = dict[int, tuple[str, int, frozenset[int]]]
NOWHERE: tuple[str, int, frozenset[int]] = ("", 0, frozenset())  # an area not (yet) known


@dataclass(frozen=True)
class AreaScope:
    """What a filter for some areas selects: `own` the keys of the areas themselves (with the
    areas below), `enclosing` the ids of the areas above them (not among them)."""

    own: tuple[str, ...]
    enclosing: frozenset[int]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.own + tuple(f"{DIRECT_AREA}{area}" for area in sorted(self.enclosing))


def tree(index: FacetIndex) -> Tree:
    """Every area with its name, level and ancestors, kept per process until areas change."""
    found: Tree = index.cached("area-tree", _build_tree)
    return found


def _build_tree() -> Tree:
    areas = hierarchy()
    result: Tree = {}
    for area, (name, level, _parents) in areas.items():
        above: set[int] = set()
        todo = list(areas[area][2])
        while todo:  # every area once, so a cycle in bad data ends the walk
            parent = todo.pop()
            if parent not in above and parent in areas:
                above.add(parent)
                todo.extend(areas[parent][2])
        result[area] = (name, level, frozenset(above))
    return result


def scope(index: FacetIndex, area_ids: Iterable[int]) -> AreaScope:
    areas = tree(index)
    chosen = list(dict.fromkeys(area_ids))
    above: set[int] = set()
    for area in chosen:
        above |= areas.get(area, NOWHERE)[2]
    return AreaScope(
        own=tuple(f"{AREA}{area}" for area in chosen), enclosing=frozenset(above - set(chosen))
    )


def enclosing_names(
    index: FacetIndex, chosen: AreaScope, documents: Iterable[int]
) -> dict[int, str]:
    """For the documents that match only as offers of an enclosing area: the name of the
    smallest such area they are filed under ("serves all of Trier"), by document id."""
    if not chosen.enclosing:
        return {}
    areas = tree(index)
    own = index.any_of(chosen.own)
    direct = {area: index.bitmap(f"{DIRECT_AREA}{area}") for area in chosen.enclosing}
    # The smallest area first: the highest level, then by name.
    order = sorted(direct, key=lambda area: (-areas[area][1], areas[area][0], area))
    names: dict[int, str] = {}
    for doc in documents:
        if doc in own:
            continue
        for area in order:
            if doc in direct[area]:
                names[doc] = areas[area][0]
                break
    return names


def split(index: FacetIndex, chosen: AreaScope, hits: BitMap) -> tuple[BitMap, BitMap]:
    """The hits as (offers of the areas themselves or below, offers of enclosing areas)."""
    own = hits & index.any_of(chosen.own)
    return own, hits - own


def adjust_counts(
    counts: dict[str, int], hits: BitMap, index: FacetIndex, chosen: AreaScope | None
) -> None:
    """Area facet counts that say what ticking the area would find: its own offers and those
    of the areas enclosing it. Only areas that are listed already (they have hits of their
    own) or ticked are counted, so a city-wide offer does not list every quarter. The direct
    keys are internal and leave the counts."""
    direct = {}
    for key in [key for key in counts if key.startswith(DIRECT_AREA)]:
        del counts[key]
        direct[int(key[len(DIRECT_AREA) :])] = index.bitmap(key) & hits
    if not direct:
        return
    areas = tree(index)
    listed = {int(key[len(AREA) :]) for key in counts if key.startswith(AREA)}
    if chosen is not None:
        listed |= {int(key[len(AREA) :]) for key in chosen.own}
    for area in listed:
        ancestors = areas.get(area, NOWHERE)[2]
        above = [direct[parent] for parent in ancestors if parent in direct]
        if not above:
            continue
        key = f"{AREA}{area}"
        extra = BitMap.union(*above) - index.bitmap(key)
        if extra:
            counts[key] = counts.get(key, 0) + len(extra)
