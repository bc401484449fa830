"""Property tests: whatever a file holds, the reader and the checks answer with a report."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.api.hsds.importer import validate
from quartier.api.hsds.package import read_json
from quartier.api.hsds.validate import ImportFailed

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40)
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
service_keys = st.sampled_from(
    [
        "id",
        "name",
        "status",
        "minimum_age",
        "maximum_age",
        "url",
        "email",
        "last_modified",
        "schedules",
        "service_at_locations",
        "attributes",
        "organization",
        "organization_id",
    ]
)
services = st.dictionaries(service_keys, values, max_size=8)
documents = st.one_of(
    values,
    st.fixed_dictionaries({"services": st.lists(services, max_size=3)}),
    st.fixed_dictionaries({"organizations": st.lists(values, max_size=2)}),
)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_json_gives_tables_or_a_report(document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            tables = read_json(path)
        except ImportFailed as exc:
            assert exc.report.errors
            return
        report = validate(tables)
        for problem in report.problems:
            assert problem.file == "data.json" and problem.message


ORG = "7d1e4b52-0c3a-4f6e-9b1d-2a8c5e7f9013"
LOC = "0b9f2c71-5e4d-4a3b-8c2f-6d1e9a7b3c45"
TERM = "c4a8e1f3-2b7d-4e9c-a1f6-3d5b8e2c7a90"
TAXONOMY = "e2f7a9c1-4d3b-4b8e-9f2a-6c1d7e5b3a82"


def test_nested_parents_fill_the_foreign_keys(tmp_path):
    service = {
        "id": "5f3b1d7e-9a2c-4e6b-8d1f-0c7a3e5b9d24",
        "name": "Sprechstunde",
        "status": "active",
        "organization": {"id": ORG, "name": "Träger"},
        "service_at_locations": [
            {"id": "9e2d4b6f-1a3c-4f5e-b7d9-2c4e6a8b0d13", "location": {"id": LOC}}
        ],
        "attributes": [
            {
                "id": "3a5c7e9b-2d4f-4a6c-8e1b-5d7f9b2c4e61",
                "taxonomy_term": {
                    "id": TERM,
                    "name": "Beratung",
                    "taxonomy_detail": {"id": TAXONOMY, "name": "Themen"},
                },
            }
        ],
    }
    path = tmp_path / "service.json"
    path.write_text(json.dumps(service), encoding="utf-8")
    tables = read_json(path)
    assert tables["services"][0]["organization_id"] == ORG
    assert tables["service_at_locations"][0]["location_id"] == LOC
    assert tables["service_at_locations"][0]["service_id"] == service["id"]
    assert tables["attributes"][0]["taxonomy_term_id"] == TERM
    assert tables["taxonomy_terms"][0]["taxonomy_id"] == TAXONOMY


def test_a_flat_foreign_key_wins_over_the_nested_parent(tmp_path):
    other = "1c3e5a7b-9d2f-4b6a-8c1e-3f5a7c9e2b46"
    path = tmp_path / "service.json"
    path.write_text(
        json.dumps(
            {
                "id": "5f3b1d7e-9a2c-4e6b-8d1f-0c7a3e5b9d24",
                "name": "Sprechstunde",
                "status": "active",
                "organization_id": other,
                "organization": {"id": ORG, "name": "Träger"},
            }
        ),
        encoding="utf-8",
    )
    assert read_json(path)["services"][0]["organization_id"] == other
