"""What every back-office page costs in queries, per role: the frame (session, user, second
factor, roles, permissions, navigation) and the core dashboard with the apps' sections. The
budgets are today's counts: a change that adds a query to every back-office request fails here
(docs/performance.md, "Back-office frame")."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The core dashboard (/verwaltung/) per role: frame + the sections the role sees.
DASHBOARD_BUDGET = {
    "resident": 7,
    "editor": 16,
    "coordinator": 24,
    "planner": 21,
    "admin": 15,
}


@pytest.mark.parametrize("role", sorted(DASHBOARD_BUDGET))
def test_the_back_office_dashboard_has_a_query_budget_per_role(
    world, role, django_assert_max_num_queries
):
    client = world.client(role)
    url = reverse("backoffice:dashboard")
    assert client.get(url).status_code == 200  # warm: the content generation, caches
    with django_assert_max_num_queries(DASHBOARD_BUDGET[role]) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # The navigation asks each permission once, however many entries need it.
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum("auth_group_permissions" in q for q in sql) <= 1
    assert sum('FROM "otp_totp_totpdevice"' in q for q in sql) <= 1
