from tests.matrix import STAFF, Route, everyone, only

# The world's organisation works in the district: its editor, its coordinator, the planner of
# the city and platform admins may work on it; the other organisation is the admins' alone.
IN_SCOPE = {"editor", "coordinator", "planner", "admin"}


def _org(world) -> dict:
    return {"slug": world.organisation.slug}


NOTES = {"coordinator", "planner", "admin"}


def _note(world) -> dict:
    return {"slug": world.organisation.slug, "pk": world.partner_note.pk}


def _person(world) -> dict:
    return {"pk": world.person.pk}


ROUTES = [
    Route("directory:organisation", everyone(), kwargs=_org),
    Route("directory:organisation_list", everyone()),
    Route("directory:organisation_list", everyone(), query="?q=Caritas&kind=carrier&page=2"),
    Route("directory:organisation_list", everyone(400), query="?area=gibt-es-nicht"),
    Route("backoffice:directory:organisation_list", only(STAFF)),
    Route("backoffice:directory:organisation_create", only({"planner", "admin"})),
    Route("backoffice:directory:organisation_edit", only(IN_SCOPE), kwargs=_org),
    Route(
        "backoffice:directory:organisation_edit",
        only({"admin"}),
        kwargs=lambda w: {"slug": w.other_organisation.slug},
    ),
    Route("backoffice:directory:organisation_history", only(IN_SCOPE), kwargs=_org),
    # Partner notes: the staff of the organisation's areas (planner, coordinator by area) and
    # admins; never the organisation's editor.
    Route(
        "backoffice:directory:partner_note_add",
        only(NOTES, ok=302),
        method="post",
        kwargs=_org,
        data=lambda w: {"note-kind": "exchange", "note-next_step": "Termin im Mai"},
    ),
    Route(
        "backoffice:directory:partner_note_add",
        only({"admin"}, ok=302),
        method="post",
        kwargs=lambda w: {"slug": w.other_organisation.slug},
        data=lambda w: {"note-kind": "exchange", "note-next_step": "Termin im Mai"},
    ),
    Route("backoffice:directory:partner_note_edit", only(NOTES), kwargs=_note),
    Route(
        "backoffice:directory:partner_note_edit",
        only(NOTES, ok=302),
        method="post",
        kwargs=_note,
        data=lambda w: {"kind": "contract", "agreements": "Raum dienstags"},
    ),
    Route("backoffice:directory:person_create", only(IN_SCOPE), kwargs=_org),
    Route("backoffice:directory:person_list", only(STAFF)),
    Route("backoffice:directory:person_edit", only(IN_SCOPE), kwargs=_person),
    Route("backoffice:directory:person_history", only(IN_SCOPE), kwargs=_person),
    Route(
        "backoffice:directory:position_end",
        only(IN_SCOPE, ok=302),
        method="post",
        kwargs=lambda w: {"pk": w.person.positions.get().pk},
        data=lambda w: {},
    ),
    # Planners give editor and coordinator roles within their areas (admins everywhere).
    Route("backoffice:directory:area_roles", only({"planner", "admin"})),
    Route(
        "backoffice:directory:area_roles",
        only({"planner", "admin"}, ok=302),
        method="post",
        data=lambda w: {
            "username": "resident",
            "role": "editor",
            "organisation": w.organisation.pk,
        },
    ),
    Route(
        "backoffice:directory:area_role_revoke",
        only({"planner", "admin"}, ok=302),
        method="post",
        kwargs=lambda w: {"pk": w.users["editor"].role_assignments.get().pk},
        data=lambda w: {},
    ),
    Route("api:directory_organisation_list", everyone(), query="?area=teststadt"),
    Route("api:directory_organisation_detail", everyone(), kwargs=_org),
    Route(
        "api:directory_organisation_update",
        only(IN_SCOPE, anonymous=401),
        method="patch",
        kwargs=_org,
        data=lambda w: {"description": "Offener Treff"},
        content_type="application/json",
    ),
]
