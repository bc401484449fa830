"""Role matrix of joint statements (see tests/matrix.py and tests/statements/world.py).

The editor is a member of world.body (reads, comments); the coordinator coordinates it; the
planner plans the city the body works in. No matrix role may sign (the signer has a login of
her own); signing itself is tested in test_statements.py."""

from tests.matrix import STAFF, Route, everyone, only

DRAFTERS = {"coordinator", "admin"}
COMMENTERS = {"editor", "coordinator", "admin"}
READERS = {"editor", "coordinator", "planner", "admin"}
MANAGERS = {"coordinator", "admin"}
PLANNERS = {"planner", "admin"}


def _admin(expect: dict, status: int = 400) -> dict:
    """Platform admins pass every permission (superusers); the action itself refuses."""
    return {**expect, "admin": status}


def _pk(name: str):
    return lambda w: {"pk": getattr(w, name).pk}


def _version(name: str, number: int):
    return lambda w: {"pk": getattr(w, name).pk, "number": number}


def _new(w):
    return {"title": "Zur Kita-Versorgung", "text": "Es fehlen Kita-Plätze.", "topic": ""}


def _empty(w):
    return {"title": "Zur Kita-Versorgung", "text": "   "}


def _sign(w):
    return {"organisation": w.statement_org.pk}


_draft, _open, _signed, _published = (
    _pk("statement_draft"),
    _pk("statement_open"),
    _pk("statement_signed"),
    _pk("statement_published"),
)

ROUTES = [
    # Public
    Route("statements:detail", everyone(), kwargs=_published),
    Route("statements:detail", everyone(404), kwargs=_draft),
    Route("statements:pdf", everyone(), kwargs=_published),
    Route("statements:pdf", everyone(404), kwargs=_open),
    # Back office
    Route("backoffice:statements:index", only(STAFF)),
    Route("backoffice:statements:overview", only(PLANNERS)),
    Route(
        "backoffice:statements:overview",
        only(PLANNERS),
        query="?state=published&area=nordviertel",
    ),
    Route("backoffice:statements:overview", only(PLANNERS, ok=400), query="?body=999999"),
    Route(
        "backoffice:statements:create",
        only(DRAFTERS),
        kwargs=lambda w: {"slug": w.body.slug},
    ),
    Route(
        "backoffice:statements:create",
        only(DRAFTERS, ok=302),
        kwargs=lambda w: {"slug": w.body.slug},
        method="post",
        data=_new,
    ),
    Route(
        "backoffice:statements:create",
        only(DRAFTERS, ok=400),
        kwargs=lambda w: {"slug": w.body.slug},
        method="post",
        data=_empty,
    ),
    Route("backoffice:statements:detail", only(READERS), kwargs=_draft),
    Route("backoffice:statements:detail", only(READERS), kwargs=_published),
    Route("backoffice:statements:edit", only(DRAFTERS), kwargs=_draft),
    Route(
        "backoffice:statements:edit",
        only(DRAFTERS, ok=302),
        kwargs=_draft,
        method="post",
        data=lambda w: {"title": "Schulwege sicher machen", "text": "Neuer Text.", "note": ""},
    ),
    Route(
        "backoffice:statements:edit",
        only(DRAFTERS, ok=400),
        kwargs=_draft,
        method="post",
        data=lambda w: {"title": "Schulwege", "text": "x" * 50_001},
    ),
    # A published statement is frozen for everyone.
    Route("backoffice:statements:edit", only(set()), kwargs=_published),
    Route(
        "backoffice:statements:edit",
        only(set()),
        kwargs=_published,
        method="post",
        data=lambda w: {"title": "Geändert", "text": "Geändert."},
    ),
    Route("backoffice:statements:version", only(READERS), kwargs=_version("statement_draft", 1)),
    Route(
        "backoffice:statements:version",
        only(READERS, ok=404),
        kwargs=_version("statement_draft", 99),
    ),
    Route(
        "backoffice:statements:comment",
        only(COMMENTERS, ok=302),
        kwargs=_version("statement_draft", 2),
        method="post",
        data=lambda w: {"text": "Bitte den zweiten Absatz kürzen."},
    ),
    Route(
        "backoffice:statements:comment",
        only(COMMENTERS, ok=400),
        kwargs=_version("statement_draft", 2),
        method="post",
        data=lambda w: {"text": ""},
    ),
    Route(
        "backoffice:statements:comment",
        only(set()),
        kwargs=_version("statement_published", 1),
        method="post",
        data=lambda w: {"text": "Zu spät."},
    ),
    Route("backoffice:statements:compare", only(READERS), kwargs=_draft, query="?a=1&b=2"),
    Route("backoffice:statements:compare", only(READERS, ok=400), kwargs=_draft, query="?a=x"),
    Route("backoffice:statements:compare", only(READERS, ok=404), kwargs=_draft, query="?a=1&b=9"),
    Route("backoffice:statements:open", only(MANAGERS, ok=302), kwargs=_draft, method="post"),
    Route("backoffice:statements:open", _admin(only(set())), kwargs=_open, method="post"),
    Route(
        "backoffice:statements:sign",
        _admin(only(set())),
        kwargs=_open,
        method="post",
        data=_sign,
    ),
    # Signing twice for one organisation is refused.
    Route(
        "backoffice:statements:sign",
        _admin(only(set())),
        kwargs=_signed,
        method="post",
        data=_sign,
    ),
    # Not for an organisation nobody here may sign for.
    Route(
        "backoffice:statements:sign",
        _admin(only(set())),
        kwargs=_open,
        method="post",
        data=lambda w: {"organisation": w.organisation.pk},
    ),
    Route(
        "backoffice:statements:sign", _admin(only(set())), kwargs=_draft, method="post", data=_sign
    ),
    Route(
        "backoffice:statements:withdraw",
        _admin(only(set())),
        kwargs=_signed,
        method="post",
        data=_sign,
    ),
    Route(
        "backoffice:statements:withdraw",
        _admin(only(set())),
        kwargs=_open,
        method="post",
        data=_sign,
    ),
    Route(
        "backoffice:statements:withdraw",
        _admin(only(set())),
        kwargs=_published,
        method="post",
        data=_sign,
    ),
    Route("backoffice:statements:publish", only(MANAGERS, ok=302), kwargs=_signed, method="post"),
    # No signer yet: refused with a message.
    Route("backoffice:statements:publish", only(MANAGERS, ok=400), kwargs=_open, method="post"),
    Route("backoffice:statements:publish", _admin(only(set())), kwargs=_published, method="post"),
]
