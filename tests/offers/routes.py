from tests.matrix import ROLES, STAFF, Route, everyone, only

REVIEWERS = {"coordinator", "planner", "admin"}


def _pk(name: str):
    return lambda w: {"pk": getattr(w, name).pk}


def _redirect(allowed: set[str]) -> dict[str, int]:
    """POST routes: allowed roles are redirected after the action (302), the others get 403,
    anonymous users the login redirect (302)."""
    return {role: 302 if role in allowed or role == "anonymous" else 403 for role in ROLES}


ROUTES = [
    # Public pages and exports: public data, anyone.
    Route("offers:detail", everyone(), kwargs=_pk("offer")),
    Route("offers:print", everyone(), kwargs=_pk("offer")),
    Route(
        "offers:easy_language",
        everyone(302),
        method="post",
        data=lambda w: {"on": "1", "next": "/"},
    ),
    Route("offers:area_pdf", everyone(), kwargs=lambda w: {"slug": w.social_space.slug}),
    Route("offers:area_csv", everyone(), kwargs=lambda w: {"slug": w.social_space.slug}),
    Route("api:offer_detail", everyone(), kwargs=lambda w: {"offer_id": w.offer.pk}),
    # Back office.
    Route("backoffice:offers:list", only(STAFF)),
    Route("backoffice:offers:queue", only(REVIEWERS)),
    # Users with one organisation to choose from go straight to its form (302).
    Route(
        "backoffice:offers:create",
        {**only(STAFF, ok=302), "admin": 200},
    ),
    Route("backoffice:offers:edit", only(STAFF), kwargs=_pk("offer")),
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
]
