"""Schemathesis over every operation of /api/openapi.json (issue 19): generated requests with
every check on, against the Django WSGI app on the test database (SQLite or PostgreSQL, whichever
the run uses), so it runs inside `make test` on both.

Bounded: few examples per operation, explicit and generated phases only (no shrinking), no
deadline (the machine is shared; time is never asserted). One test over all operations so the
world is built once.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from quartier.api.base import api
from quartier.wsgi import application

EXAMPLES = 5

# NUL characters are refused with 400 everywhere (core/middleware.py, stated in every
# operation's 400 answer); generated text leaves them out, tests/core/test_hostile_input.py
# covers them.
CONFIG = SchemathesisConfig.from_dict({"generation": {"allow-x00": False}})

# Rules across parameters that OpenAPI cannot state: a request valid field by field may still
# be refused with 422 naming the rule ("positive data acceptance" does not hold for them).
CROSS_FIELD_RULES = {
    # lat and lon only together; radius needs a place.
    "GET /api/search/offers",
    "GET /api/search/offers.geojson",
    # minimal and full exclude each other; postcode+proximity or lat+lon+radius.
    "GET /api/hsds/services",
    "GET /api/hsds/service_at_locations",
    # end after start, at most 92 days later.
    "GET /api/venues/rooms/{room_id}/busy",
    # area, category and target_group name existing rows (slugs), which the document cannot
    # list; an unknown one is 422 with the field named, like the calendar page's filter.
    "GET /api/events/",
}


@pytest.fixture
def keep_connection():
    """The WSGI app ends each request by closing old connections, which on PostgreSQL would
    close the test's transaction; Django's test client unhooks it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema():
    # The document /api/openapi.json serves, built in the process.
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
    loaded.app = application
    return loaded


# Operations the logged-in pass found refusing valid-by-the-document input and not yet fixed;
# each entry is spared "positive data acceptance" only. (OParl's `page` above MAX_PAGE was one:
# the document now states the maximum.)
OPEN_FINDINGS: set[str] = set()


def _check_every_operation(
    *, known: frozenset[str] = frozenset(), spare_writes: bool = False, **request: dict
) -> None:
    """Every operation, generated cases sent with `request` (headers, cookies); all of its
    failures, then fail. `known`: operations also spared "positive data acceptance";
    `spare_writes`: so are all writes (see the logged-in pass)."""
    failures: list[str] = []
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) > 50
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        spared = (
            label in CROSS_FIELD_RULES
            or label in known
            or (spare_writes and operation.method.upper() != "GET")
        )
        excluded = [positive_data_acceptance] if spared else []

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            case.call_and_validate(excluded_checks=excluded, **request)  # noqa: B023

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, then fail
            failures.append(f"{label}:\n{exc}")
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)


def test_every_operation_keeps_its_openapi_promises(world, keep_connection):
    _check_every_operation()


def test_every_operation_keeps_its_promises_to_a_logged_in_admin(world, keep_connection, client):
    """The same with a platform admin's session (second factor done, tests/conftest.py) and a
    CSRF token: the writes behind django_auth run their validation and services, not only
    the 401 of an anonymous request.

    A write that passes the document reaches the service's rules, which no schema can state:
    a booking at most ten years from today, free rooms, states an object must be in. Their
    refusal is a 422 that names the rule, so writes are spared "positive data acceptance"
    here (every other check, no 5xx and the answer matching the document among them, still
    runs); reads keep it, since their parameters can be stated in full."""
    client.force_login(world.users["admin"])
    secret = get_random_string(32)
    _check_every_operation(
        known=frozenset(OPEN_FINDINGS),
        spare_writes=True,
        cookies={
            django_settings.SESSION_COOKIE_NAME: client.cookies[
                django_settings.SESSION_COOKIE_NAME
            ].value,
            django_settings.CSRF_COOKIE_NAME: secret,
        },
        headers={"X-CSRFToken": secret},
    )
