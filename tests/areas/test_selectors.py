"""The walks over the area hierarchy: one query however deep, a DAG, and bad data with a cycle."""

from __future__ import annotations

import itertools

import pytest

from quartier.areas.selectors import ancestor_ids, descendant_ids, hierarchy, reach
from tests.factories.areas import AreaFactory, link

pytestmark = pytest.mark.django_db


def _chain(length: int) -> list:
    areas = [AreaFactory(name=f"Ebene {index}") for index in range(length)]
    for parent, child in itertools.pairwise(areas):
        link(parent, child)
    return areas


def test_a_deep_hierarchy_costs_one_query(django_assert_num_queries):
    areas = _chain(8)
    with django_assert_num_queries(1):
        below = descendant_ids([areas[0].pk])
    assert below == {area.pk for area in areas}
    with django_assert_num_queries(1):
        above = ancestor_ids([areas[-1].pk], include_self=False)
    assert above == {area.pk for area in areas[:-1]}
    with django_assert_num_queries(0):
        assert descendant_ids([]) == set()


def test_an_area_with_two_parents_and_siblings_apart():
    county, city, quarter, elsewhere = (AreaFactory(name=n) for n in "KSQA")
    link(county, city)
    link(county, quarter)
    link(city, quarter)
    assert descendant_ids([county.pk], include_self=False) == {city.pk, quarter.pk}
    assert ancestor_ids([quarter.pk]) == {quarter.pk, city.pk, county.pk}
    assert elsewhere.pk not in descendant_ids([county.pk])
    assert descendant_ids([quarter.pk]) == {quarter.pk}


def test_a_cycle_in_bad_data_ends_the_walk():
    first, second, third = _chain(3)
    link(third, first)
    assert descendant_ids([second.pk]) == {first.pk, second.pk, third.pk}
    assert ancestor_ids([first.pk], include_self=False) == {first.pk, second.pk, third.pk}


def test_reach_walks_both_ways_in_one_query(django_assert_num_queries):
    county, city, quarter, block = _chain(4)
    sibling = AreaFactory(name="Geschwister")
    link(city, sibling)
    with django_assert_num_queries(1):
        found = reach([quarter.pk])
    assert found.inside == {quarter.pk, block.pk}
    assert found.enclosing == {county.pk, city.pk}
    assert sibling.pk not in found.all
    with django_assert_num_queries(0):
        assert reach([]).all == set()


def test_reach_in_a_cycle_counts_an_area_as_inside():
    first, second, third = _chain(3)
    link(third, first)
    found = reach([second.pk])
    assert found.inside == {first.pk, second.pk, third.pk}
    assert found.enclosing == set()


def test_hierarchy_lists_every_area_with_its_parents_in_one_query(django_assert_num_queries):
    county, city, quarter = _chain(3)
    link(county, quarter)  # a second parent
    with django_assert_num_queries(1):
        areas = hierarchy()
    assert areas[county.pk][2] == ()
    assert set(areas[quarter.pk][2]) == {county.pk, city.pk}
    assert areas[city.pk][0] == city.name
