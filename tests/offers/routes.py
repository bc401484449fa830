from tests.matrix import LOGIN, ROLES, STAFF, Route, everyone, only

REVIEWERS = {"coordinator", "planner", "admin"}


def _pk(name: str):
    return lambda w: {"pk": getattr(w, name).pk}


def _redirect(allowed: set[str]) -> dict[str, int]:
    """POST routes: allowed roles are redirected after the action (302), the others get 403,
    anonymous users the login redirect (302)."""
    return {
        role: 302 if role in allowed else LOGIN if role == "anonymous" else 403 for role in ROLES
    }


def _api(allowed: set[str], ok: int = 200) -> dict[str, int]:
    """Session-authenticated API writes: 401 without login, 403 outside the user's scope."""
    return {role: ok if role in allowed else 401 if role == "anonymous" else 403 for role in ROLES}


def _offer_payload(w) -> dict:
    return {
        "organisation": w.organisation.pk,
        "name": "Spielkreis Nord",
        "schedules": [{"kind": "weekly", "weekday": 2, "opens_at": "10:00", "closes_at": "11:30"}],
    }


def _offer_id(name: str):
    return lambda w: {"offer_id": getattr(w, name).pk}


ROUTES = [
    # Public pages and exports: public data, anyone.
    Route("offers:detail", everyone(), kwargs=_pk("offer")),
    Route("offers:print", everyone(), kwargs=_pk("offer")),
    Route("offers:easy", everyone(), kwargs=_pk("offer")),
    Route("offers:easy", everyone(404), kwargs=_pk("draft_offer")),
    Route("offers:area_pdf", everyone(), kwargs=lambda w: {"slug": w.social_space.slug}),
    Route("offers:area_csv", everyone(), kwargs=lambda w: {"slug": w.social_space.slug}),
    Route("api:offer_detail", everyone(), kwargs=lambda w: {"offer_id": w.offer.pk}),
    # Back office.
    Route("backoffice:offers:list", only(STAFF)),
    Route("backoffice:offers:queue", only(REVIEWERS)),
    # Users with one organisation to choose from go straight to its form (302); coordinators
    # and planners have several organisations in their areas and get the chooser.
    Route(
        "backoffice:offers:create",
        {**only(STAFF, ok=302), "coordinator": 200, "planner": 200, "admin": 200},
    ),
    Route("backoffice:offers:edit", only(STAFF), kwargs=_pk("offer")),
    Route(
        "backoffice:offers:edit",
        only(STAFF, ok=422),
        method="post",
        kwargs=_pk("offer"),
        data=lambda w: {},
    ),
    Route("backoffice:offers:history", only(STAFF), kwargs=_pk("offer")),
    Route("backoffice:offers:review", only(REVIEWERS), kwargs=_pk("offer")),
    Route(
        "backoffice:offers:submit",
        _redirect(STAFF),
        method="post",
        kwargs=_pk("draft_offer"),
        data=lambda w: {},
    ),
    Route(
        "backoffice:offers:verify",
        _redirect(STAFF),
        method="post",
        kwargs=_pk("offer"),
        data=lambda w: {},
    ),
    Route(
        "backoffice:offers:publish",
        _redirect(REVIEWERS),
        method="post",
        kwargs=_pk("draft_offer"),
        data=lambda w: {},
    ),
    Route(
        "backoffice:offers:return",
        _redirect(REVIEWERS),
        method="post",
        kwargs=_pk("offer"),
        data=lambda w: {"note": "Bitte prüfen"},
    ),
    Route(
        "backoffice:offers:approve",
        _redirect(REVIEWERS),
        method="post",
        kwargs=_pk("pending_offer"),
        data=lambda w: {},
    ),
    Route(
        "backoffice:offers:reject",
        _redirect(REVIEWERS),
        method="post",
        kwargs=_pk("pending_offer"),
        data=lambda w: {"note": "Nein"},
    ),
    # JSON API writes (same services and checks as the back office).
    Route(
        "api:offer_create",
        _api(STAFF, ok=201),
        method="post",
        data=_offer_payload,
        content_type="application/json",
    ),
    Route(
        "api:offer_update",
        _api(STAFF),
        method="put",
        kwargs=_offer_id("offer"),
        data=_offer_payload,
        content_type="application/json",
    ),
    Route(
        "api:offer_submit",
        _api(STAFF),
        method="post",
        kwargs=_offer_id("draft_offer"),
        data=lambda w: {},
        content_type="application/json",
    ),
    Route(
        "api:offer_publish",
        _api(REVIEWERS),
        method="post",
        kwargs=_offer_id("draft_offer"),
        data=lambda w: {},
        content_type="application/json",
    ),
    Route(
        "api:offer_verify",
        _api(STAFF),
        method="post",
        kwargs=_offer_id("offer"),
        data=lambda w: {},
        content_type="application/json",
    ),
]
