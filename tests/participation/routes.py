"""Role matrix of the participation app (see tests/matrix.py)."""

from quartier.participation.tokens import code_token, link_token
from tests.matrix import Route, everyone, only

RUNNERS = {"coordinator", "admin"}  # coordinators of the concept's area
READERS = {"coordinator", "planner", "admin"}


def _proposal(w):
    return {"field": w.field.pk, "title": "Ein Trinkbrunnen", "text": "Am Spielplatz, bitte."}


def _round_pk(w):
    return {"pk": w.round.pk}


ROUTES = [
    Route("participation:list", everyone()),
    Route("participation:list", everyone(), query="?area=nordviertel"),
    Route("participation:list", everyone(404), query="?area=gibt-es-nicht"),
    Route("participation:round", everyone(), kwargs=lambda w: {"slug": w.round.slug}),
    Route("participation:round", everyone(404), kwargs=lambda w: {"slug": "gibt-es-nicht"}),
    Route("participation:propose", everyone(), kwargs=lambda w: {"slug": w.round.slug}),
    Route(
        "participation:propose",
        everyone(302),
        kwargs=lambda w: {"slug": w.round.slug},
        method="post",
        data=_proposal,
    ),
    Route(
        "participation:propose",
        everyone(400),
        kwargs=lambda w: {"slug": w.round.slug},
        method="post",
        data=lambda w: {"field": 999999, "title": "x", "text": "y"},
    ),
    Route("participation:proposal", everyone(), kwargs=lambda w: {"pk": w.proposal.pk}),
    Route("participation:proposal", everyone(404), kwargs=lambda w: {"pk": 999999}),
    Route(
        "participation:support",
        everyone(302),
        kwargs=lambda w: {"pk": w.proposal.pk},
        method="post",
        data=lambda w: {},
    ),
    Route("participation:survey", everyone(), kwargs=lambda w: {"slug": w.round.slug}),
    Route(
        "participation:survey",
        everyone(302),
        kwargs=lambda w: {"slug": w.round.slug},
        method="post",
        data=lambda w: {"code": w.survey_code.code},
        changes=False,
    ),
    Route(
        "participation:survey",
        everyone(400),
        kwargs=lambda w: {"slug": w.round.slug},
        method="post",
        data=lambda w: {"code": w.used_code.code},
    ),
    Route("participation:answer", everyone(), kwargs=lambda w: {"token": link_token(w.survey)}),
    Route(
        "participation:answer",
        everyone(302),
        kwargs=lambda w: {"token": code_token(w.survey, w.survey_code.code)},
        method="post",
        data=lambda w: {f"q{w.scale_question.pk}": "5"},
    ),
    Route(
        "participation:answer",
        everyone(409),
        kwargs=lambda w: {"token": code_token(w.survey, w.used_code.code)},
    ),
    Route("participation:answer", everyone(404), kwargs=lambda w: {"token": "gefälscht"}),
    Route("participation:results", everyone(), kwargs=lambda w: {"slug": w.round.slug}),
    Route("participation:results_csv", everyone(), kwargs=lambda w: {"slug": w.round.slug}),
    # Back office
    Route("backoffice:participation:index", only(READERS)),
    Route("backoffice:participation:round_create", only(RUNNERS)),
    Route(
        "backoffice:participation:round_create",
        only(RUNNERS, ok=302),
        method="post",
        data=lambda w: {
            "concept": w.concept.pk,
            "title": "Neue Runde",
            "opens_on": "2030-01-01",
            "closes_on": "2030-02-01",
            "is_published": "on",
        },
    ),
    Route(
        "backoffice:participation:round_create",
        only(RUNNERS, ok=400),
        method="post",
        data=lambda w: {
            "concept": w.concept.pk,
            "title": "x",
            "opens_on": "2030-02-01",
            "closes_on": "2030-01-01",
        },
    ),
    Route("backoffice:participation:round", only(READERS), kwargs=_round_pk),
    Route(
        "backoffice:participation:round",
        only({"admin"}),
        kwargs=lambda w: {"pk": w.other_round.pk},
    ),
    Route(
        "backoffice:participation:round",
        only(RUNNERS, ok=302),
        kwargs=_round_pk,
        method="post",
        data=lambda w: {
            "title": "Umbenannt",
            "opens_on": "2020-01-01",
            "closes_on": "2040-01-01",
            "is_published": "on",
        },
    ),
    Route(
        "backoffice:participation:answer",
        only(RUNNERS, ok=302),
        kwargs=lambda w: {"pk": w.proposal.pk},
        method="post",
        data=lambda w: {"status": "review", "answer": "Wir prüfen das."},
    ),
    Route(
        "backoffice:participation:answer",
        only(RUNNERS, ok=400),
        kwargs=lambda w: {"pk": w.proposal.pk},
        method="post",
        data=lambda w: {"status": "not_taken_up", "answer": ""},
    ),
    Route(
        "backoffice:participation:survey_set",
        only(RUNNERS, ok=302),
        kwargs=_round_pk,
        method="post",
        data=lambda w: {"title": "Neue Umfrage"},
    ),
    Route(
        "backoffice:participation:question_add",
        only(RUNNERS, ok=302),
        kwargs=lambda w: {"pk": w.draft_round.pk},
        method="post",
        data=lambda w: {"kind": "single", "text": "Farbe?", "choices": "rot\nblau"},
    ),
    Route(
        "backoffice:participation:question_add",
        only(RUNNERS, ok=400),
        kwargs=_round_pk,
        method="post",
        data=lambda w: {"kind": "scale", "text": "Noch eine?"},
    ),
    Route(
        "backoffice:participation:codes_generate",
        only(RUNNERS, ok=302),
        kwargs=_round_pk,
        method="post",
        data=lambda w: {"count": "3"},
    ),
    Route("backoffice:participation:codes", only(RUNNERS), kwargs=_round_pk),
    Route("backoffice:participation:codes_pdf", only(RUNNERS), kwargs=_round_pk),
    Route(  # another area's round, without a survey: 404 for the admin, 403 for the rest
        "backoffice:participation:codes_pdf",
        only({"admin"}, ok=404),
        kwargs=lambda w: {"pk": w.other_round.pk},
    ),
    Route(
        "backoffice:participation:links_generate",
        only(RUNNERS),
        kwargs=_round_pk,
        method="post",
        data=lambda w: {"count": "2"},
        changes=False,
    ),
    Route("backoffice:participation:results", only(READERS), kwargs=_round_pk),
    Route("backoffice:participation:export", only(READERS), kwargs=_round_pk),
    Route(
        "backoffice:participation:record",
        only(RUNNERS, ok=302),
        kwargs=_round_pk,
        method="post",
        data=lambda w: {
            "question": w.scale_question.pk,
            "values": "4,5",
            "indicator": w.indicator.pk,
            "date": "2026-06-30",
        },
    ),
]
