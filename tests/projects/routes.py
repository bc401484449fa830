"""Role matrix of the projects app (see tests/matrix.py).

The world's coordinator coordinates the Sozialraum Nord (with the Nordviertel below it) and the
world's organisation; the editor edits that organisation (the lead of world.project); the
planner sees the Teststadt and everything below, but changes nothing here."""

from tests.factories import projects as f
from tests.matrix import LOGGED_IN, STAFF, Route, everyone, only

EDITORS = {"coordinator", "admin"}  # of the Nordviertel's concept and programmes
SEERS = {"coordinator", "planner", "admin"}  # of the Nordviertel
PROJECT_EDITORS = {"editor", "coordinator", "admin"}  # of world.project
PROJECT_ADDERS = {"editor", "coordinator", "admin"}


PERIOD = "start=2024-01-01&end=2026-12-31"


def concept(w):
    return {"pk": w.concept.pk}


def project(w):
    return {"pk": w.project.pk}


def post(name, allowed, data, kwargs=concept, ok=302):
    return Route(
        f"backoffice:projects:{name}", only(allowed, ok=ok), kwargs=kwargs, method="post", data=data
    )


ROUTES = [
    # Public
    Route("projects:list", everyone()),
    Route("projects:list", everyone(), query="?area=nordviertel"),
    Route("projects:list", everyone(404), query="?area=gibt-es-nicht"),
    Route("projects:detail", everyone(), kwargs=lambda w: {"slug": w.project.slug}),
    Route("projects:detail", everyone(404), kwargs=lambda w: {"slug": w.idea_project.slug}),
    Route("api:project_list", everyone()),
    Route("api:indicator_list", everyone()),
    Route("api:project_detail", everyone(), kwargs=lambda w: {"slug": w.project.slug}),
    Route("api:project_detail", everyone(404), kwargs=lambda w: {"slug": w.idea_project.slug}),
    # Back office: concepts
    Route("backoffice:projects:index", only(STAFF)),
    Route("backoffice:projects:concept_create", only(EDITORS)),
    Route(
        "backoffice:projects:concept_create",
        only(EDITORS, ok=400),
        method="post",
        data=lambda w: {},
    ),
    Route("backoffice:projects:concept", only(SEERS), kwargs=concept),
    Route(
        "backoffice:projects:concept", only({"admin"}), kwargs=lambda w: {"pk": w.other_concept.pk}
    ),
    Route("backoffice:projects:concept", only(SEERS), kwargs=lambda w: {"pk": w.first_concept.pk}),
    Route("backoffice:projects:indicator", only(SEERS), kwargs=lambda w: {"pk": w.indicator.pk}),
    Route(
        "backoffice:projects:indicator",
        only({"admin"}),
        kwargs=lambda w: {"pk": w.other_concept.indicators.get().pk},
    ),
    Route(
        "backoffice:projects:indicator", only(LOGGED_IN, ok=404), kwargs=lambda w: {"pk": 999999}
    ),
    post("field_add", EDITORS, lambda w: {"title": "Wohnen"}),
    post("field_add", EDITORS, lambda w: {"title": ""}, ok=400),
    # An earlier version is read-only; admins (who pass every rule) get the service's message.
    Route(
        "backoffice:projects:field_add",
        {**only(set()), "admin": 400},
        kwargs=lambda w: {"pk": w.first_concept.pk},
        method="post",
        data=lambda w: {"title": "Wohnen"},
    ),
    post("goal_add", EDITORS, lambda w: {"field": w.goal.field_id, "title": "Mehr Grün"}),
    post(
        "indicator_add",
        EDITORS,
        lambda w: {
            "goal": w.goal.pk,
            "code": "gruen",
            "name": "Grünfläche",
            "unit": "m²",
            "baseline": "1.000,5",
            "baseline_date": "2020-12-31",
            "target": "2000",
            "target_date": "2030-12-31",
            "direction": "higher",
        },
    ),
    post(
        "measurement_add",
        EDITORS,
        lambda w: {"indicator": w.indicator.pk, "date": "2024-12-31", "value": "70"},
    ),
    Route("backoffice:projects:import", only(EDITORS), kwargs=concept),
    post("import", EDITORS, lambda w: {}, ok=400),
    post("concept_update", EDITORS, lambda w: {"note": "Fortschreibung 2026"}),
    Route(
        "backoffice:projects:compare",
        only(SEERS),
        kwargs=lambda w: {"pk": w.concept.pk, "other": w.first_concept.pk},
    ),
    Route(
        "backoffice:projects:compare",
        only(SEERS, ok=404),
        kwargs=lambda w: {"pk": w.concept.pk, "other": w.other_concept.pk},
    ),
    # Projects
    Route("backoffice:projects:project_create", only(PROJECT_ADDERS)),
    Route(
        "backoffice:projects:project_create",
        only(PROJECT_ADDERS, ok=400),
        method="post",
        data=lambda w: {},
    ),
    Route("backoffice:projects:project", only({"editor", *SEERS}), kwargs=project),
    Route(
        "backoffice:projects:project",
        only(SEERS),
        kwargs=lambda w: {"pk": w.idea_project.pk},
    ),
    Route(
        "backoffice:projects:project", only({"admin"}), kwargs=lambda w: {"pk": w.other_project.pk}
    ),
    Route(
        "backoffice:projects:project",
        only(PROJECT_EDITORS, ok=400),
        kwargs=project,
        method="post",
        data=lambda w: {"title": ""},
    ),
    post("project_status", PROJECT_EDITORS, lambda w: {"status": "completed"}, kwargs=project),
    post("project_status", PROJECT_EDITORS, lambda w: {"status": "bogus"}, kwargs=project, ok=400),
    post(
        "milestone_add",
        PROJECT_EDITORS,
        lambda w: {"title": "Eröffnung", "due_on": "2026-06-01"},
        kwargs=project,
    ),
    post(
        "budget_set",
        PROJECT_EDITORS,
        lambda w: {
            "programme": w.programme.pk,
            "year": "2025",
            "planned": "1.000,00",
            "approved": "900",
            "spent": "950",
        },
        kwargs=project,
    ),
    post(
        "budget_set",
        PROJECT_EDITORS,
        lambda w: {
            "programme": w.programme.pk,
            "year": "2015",
            "planned": "1",
            "approved": "1",
            "spent": "1",
        },
        kwargs=project,
        ok=400,
    ),
    # Without a file: the form's message (uploads are tested in test_views with a temporary
    # media directory, so the matrix writes nothing to disk).
    post(
        "file_add",
        PROJECT_EDITORS,
        lambda w: {"kind": "report", "title": "B"},
        kwargs=project,
        ok=400,
    ),
    Route(
        "backoffice:projects:file_download",
        only({"editor", *SEERS}, ok=404),
        kwargs=lambda w: {"pk": w.project.pk, "file_id": 999999},
    ),
    # Programmes, continuation, dashboard, exports
    Route("backoffice:projects:programme_create", only(EDITORS)),
    post("programme_create", EDITORS, lambda w: {}, kwargs=lambda w: {}, ok=400),
    Route("backoffice:projects:programme", only(EDITORS), kwargs=lambda w: {"pk": w.programme.pk}),
    post("programme", EDITORS, lambda w: {}, kwargs=lambda w: {"pk": w.programme.pk}, ok=400),
    Route("backoffice:projects:task_create", only(EDITORS)),
    post(
        "task_create",
        EDITORS,
        lambda w: {
            "title": "Stadtteilzeitung",
            "area": w.district.pk,
            "programme": w.programme.pk,
            "ends_on": "2026-12-31",
            "successor_partnership": "Bürgerverein",
        },
        kwargs=lambda w: {},
    ),
    Route("backoffice:projects:dashboard", only(SEERS), kwargs=lambda w: {"slug": "nordviertel"}),
    Route(
        "backoffice:projects:dashboard", only({"admin"}), kwargs=lambda w: {"slug": "anderstadt"}
    ),
    # Progress report: coordinators and planners of an area (not organisation members).
    Route("backoffice:projects:report", only(SEERS)),
    Route("backoffice:projects:report", only(SEERS), query=f"?area=nordviertel&{PERIOD}"),
    Route(
        "backoffice:projects:report",
        only(SEERS),
        query=f"?programme=sozialer-zusammenhalt-nord&{PERIOD}",
    ),
    Route("backoffice:projects:report", only({"admin"}), query=f"?area=anderstadt&{PERIOD}"),
    Route("backoffice:projects:report", only(SEERS, ok=400), query=f"?area=nirgendwo&{PERIOD}"),
    Route(
        "backoffice:projects:report",
        only(SEERS, ok=400),
        query="?area=nordviertel&start=2025-01-01&end=2024-01-01",
    ),
    Route("backoffice:projects:report_pdf", only(SEERS, ok=400)),
    Route("backoffice:projects:report_pdf", only(SEERS), query=f"?area=nordviertel&{PERIOD}"),
    Route("backoffice:projects:export_projects", only(STAFF)),
    Route("backoffice:projects:export_indicators", only(STAFF)),
]


# District fund (Verfügungsfonds)
FUND_EDITORS = {"coordinator", "admin"}  # coordinators of the Nordviertel's fund
FUND_SEERS = {"coordinator", "planner", "admin"}


def _track(attribute):
    from quartier.projects.tokens import fund_track_token

    return lambda w: {"token": fund_track_token(getattr(w, attribute))}


def _apply_data(w):
    return {
        "area": "nordviertel",
        "title": "Sommerfest im Hof",
        "purpose": "Getränke und Musik für das Sommerfest.",
        "amount": "250",
        "applicant_name": "Nora Nachbar",
        "applicant_email": "nora@example.org",
        "consent": "on",
    }


def application(attribute):
    return lambda w: {"pk": getattr(w, attribute).pk}


ROUTES += [
    Route("projects:funds", everyone()),
    Route("projects:fund", everyone(), kwargs=lambda w: {"pk": w.fund.pk}),
    Route("projects:fund", everyone(404), kwargs=lambda w: {"pk": 999999}),
    Route("projects:fund_apply", everyone()),
    Route("projects:fund_apply", everyone(), query="?area=nordviertel"),
    Route("projects:fund_apply", everyone(302), method="post", data=_apply_data),
    Route(
        "projects:fund_apply",
        everyone(400),
        method="post",
        data=lambda w: {**_apply_data(w), "amount": "-5"},
    ),
    Route("projects:fund_track", everyone(), kwargs=_track("application")),
    Route("projects:fund_track", everyone(404), kwargs=lambda w: {"token": "gefaelscht"}),
    Route("projects:fund_track", everyone(302), kwargs=_track("application"), method="post"),
    # Decided already: withdrawing is refused.
    Route(
        "projects:fund_track", everyone(400), kwargs=_track("granted_application"), method="post"
    ),
    Route("backoffice:projects:funds", only(STAFF)),
    Route("backoffice:projects:funds", only(STAFF), query="?show=all"),
    Route("backoffice:projects:fund_create", only(FUND_EDITORS)),
    Route(
        "backoffice:projects:fund_create",
        only(FUND_EDITORS, ok=400),
        method="post",
        data=lambda w: {"title": ""},
    ),
    Route(
        "backoffice:projects:fund_create",
        only(FUND_EDITORS, ok=302),
        method="post",
        data=lambda w: {
            "area": w.district.pk,
            "year": str(f.TODAY.year + 1),
            "title": "Verfügungsfonds Nord",
            "budget": "5000",
            "is_open": "on",
        },
    ),
    Route("backoffice:projects:fund_edit", only(FUND_EDITORS), kwargs=lambda w: {"pk": w.fund.pk}),
    Route(
        "backoffice:projects:fund_edit", only({"admin"}), kwargs=lambda w: {"pk": w.other_fund.pk}
    ),
    Route(
        "backoffice:projects:fund_edit",
        only(FUND_EDITORS, ok=400),
        kwargs=lambda w: {"pk": w.fund.pk},
        method="post",
        data=lambda w: {"area": w.district.pk, "year": str(f.TODAY.year), "budget": "-1"},
    ),
    Route("backoffice:projects:application", only(FUND_SEERS), kwargs=application("application")),
    Route(
        "backoffice:projects:application",
        only({"admin"}),
        kwargs=application("other_application"),
    ),
    Route(
        "backoffice:projects:application_agenda",
        only(FUND_EDITORS, ok=302),
        kwargs=application("application"),
        method="post",
        data=lambda w: {"meeting": w.meeting.pk},
    ),
    Route(
        "backoffice:projects:application_agenda",
        only(FUND_EDITORS, ok=400),
        kwargs=application("application"),
        method="post",
        data=lambda w: {"meeting": w.past_meeting.pk},
    ),
    Route(
        "backoffice:projects:application_decide",
        only(FUND_EDITORS, ok=302),
        kwargs=application("agenda_application"),
        method="post",
        data=lambda w: {
            "outcome": "granted",
            "amount_granted": "400",
            "votes_for": "5",
            "votes_against": "1",
            "abstentions": "0",
        },
    ),
    Route(
        "backoffice:projects:application_decide",
        only(FUND_EDITORS, ok=400),
        kwargs=application("agenda_application"),
        method="post",
        data=lambda w: {
            "outcome": "granted",
            "amount_granted": "900",
            "votes_for": "5",
            "votes_against": "1",
            "abstentions": "0",
        },
    ),
    # The vote from the minutes editor: back to the meeting page, errors as messages.
    Route(
        "backoffice:projects:application_vote",
        only(FUND_EDITORS, ok=302),
        kwargs=application("agenda_application"),
        method="post",
        data=lambda w: {
            f"fund-{w.agenda_application.pk}-{key}": value
            for key, value in {
                "outcome": "granted",
                "amount_granted": "400",
                "votes_for": "5",
                "votes_against": "1",
                "abstentions": "0",
            }.items()
        },
    ),
    Route(
        "backoffice:projects:application_status",
        only(FUND_EDITORS, ok=302),
        kwargs=application("granted_application"),
        method="post",
        data=lambda w: {"status": "paid"},
    ),
    Route(
        "backoffice:projects:application_status",
        only(FUND_EDITORS, ok=400),
        kwargs=application("application"),
        method="post",
        data=lambda w: {"status": "paid"},
    ),
]
