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
