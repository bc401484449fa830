"""Back-office pages (/verwaltung/participation/): rounds of the coordinated areas, answers to
proposals, the survey's questions, printed codes and signed links, results with free texts,
and results recorded as measurements of the concept's indicators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.core.csvfiles import csv_response, separator_for
from quartier.core.forms import add_service_errors
from quartier.core.permissions import loader, permission_required
from quartier.participation import pdf, selectors, services, tokens
from quartier.participation.forms import (
    AnswerForm,
    CountForm,
    QuestionForm,
    RecordForm,
    RoundForm,
    SurveySetForm,
    concepts_for,
)
from quartier.participation.models import Proposal, Round, Status, Survey
from quartier.participation.views import chart_rows
from quartier.projects.rules import coordinated_area_ids, seen_area_ids

# The most unused codes one sheet (page or PDF) holds.
MAX_SHEET_CODES = 1000


@loader
def load_round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("concept__area"), pk=pk)


@loader
def load_proposal(request: HttpRequest, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("round__concept__area", "field", "project"), pk=pk
    )


def _survey_of(round_: Round) -> Survey | None:
    return Survey.objects.filter(round=round_).first()


def _coordinated(request: HttpRequest):
    return None if request.user.is_superuser else coordinated_area_ids(request.user)


@permission_required("participation.access_backoffice")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rounds = Round.objects.select_related("concept__area")
    if not request.user.is_superuser:
        rounds = rounds.filter(concept__area_id__in=seen_area_ids(request.user))
    context = {
        "rounds": list(rounds[:200]),
        "can_add": request.user.has_perm("participation.add_round"),
    }
    return render(request, "participation/backoffice/index.html", context)


@permission_required("participation.add_round")
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, concepts=concepts_for(_coordinated(request)))
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The round has been created."))
            return redirect("backoffice:participation:round", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("New participation round")}
    return render(request, "participation/backoffice/form.html", context, status=status)


def _render_round(request, round_, *, status=200, **forms) -> HttpResponse:
    survey = _survey_of(round_)
    can_change = request.user.has_perm("participation.change_round", round_)
    area_ids = None if request.user.is_superuser else coordinated_area_ids(request.user)
    proposals = list(
        round_.proposals.select_related("field", "project").order_by("status", "-supports")
    )
    project_choices = AnswerForm.choices_for(area_ids) if can_change and proposals else []
    context = {
        "round": round_,
        "survey": survey,
        "can_change": can_change,
        "proposals": [
            (
                proposal,
                AnswerForm(
                    area_ids=area_ids,
                    project_choices=project_choices,
                    auto_id=f"id_p{proposal.pk}_%s",
                    initial={
                        "status": proposal.status,
                        "answer": proposal.answer,
                        "project": proposal.project_id,
                    },
                ),
            )
            for proposal in proposals
        ],
        "round_form": forms.get("round_form")
        or RoundForm(
            initial={
                "title": round_.title,
                "description": round_.description,
                "opens_on": round_.opens_on,
                "closes_on": round_.closes_on,
                "is_published": round_.is_published,
            }
        ),
        "survey_form": forms.get("survey_form")
        or SurveySetForm(
            initial={
                "title": survey.title,
                "intro": survey.intro,
                "ask_contact": survey.ask_contact,
            }
            if survey
            else {"title": _("Short survey")}
        ),
        "question_form": forms.get("question_form") or QuestionForm(),
        "count_form": forms.get("count_form") or CountForm(),
        "links_form": CountForm(auto_id="id_links_%s"),
        "record_form": forms.get("record_form") or (RecordForm(survey=survey) if survey else None),
        "questions": list(survey.questions.all()) if survey else [],
        "codes_total": survey.codes.count() if survey else 0,
        "codes_used": survey.codes.filter(used_at__isnull=False).count() if survey else 0,
        "responses": survey.responses.count() if survey else 0,
        "links": forms.get("links"),
    }
    return render(request, "participation/backoffice/round.html", context, status=status)


@permission_required("participation.view_round", fn=load_round)
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = load_round(request, pk=pk)
    if request.method == "POST":
        if not request.user.has_perm("participation.change_round", round_):
            raise PermissionDenied
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                services.round_change(round_=round_, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The round has been saved."))
                return redirect("backoffice:participation:round", pk=round_.pk)
        return _render_round(request, round_, status=400, round_form=form)
    return _render_round(request, round_)


@permission_required("participation.change_round", fn=load_proposal)
@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = load_proposal(request, pk=pk)
    form = AnswerForm(request.POST, area_ids=_coordinated(request))
    if form.is_valid():
        try:
            services.proposal_answer(proposal=proposal, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The answer has been published."))
            return redirect(
                reverse("backoffice:participation:round", kwargs={"pk": proposal.round_id})
                + f"#proposal-{proposal.pk}"
            )
    return render(
        request,
        "participation/backoffice/answer.html",
        {"proposal": proposal, "form": form},
        status=400,
    )


@permission_required("participation.change_round", fn=load_round)
@require_POST
def survey_set(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = load_round(request, pk=pk)
    form = SurveySetForm(request.POST)
    if not form.is_valid():
        return _render_round(request, round_, status=400, survey_form=form)
    services.survey_set(round_=round_, **form.cleaned_data)
    messages.success(request, _("The survey has been saved."))
    return redirect("backoffice:participation:round", pk=round_.pk)


@permission_required("participation.change_round", fn=load_round)
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = load_round(request, pk=pk)
    form = QuestionForm(request.POST)
    survey = _survey_of(round_)
    if survey is None:
        form.add_error(None, _("Create the survey first."))
    elif form.is_valid():
        try:
            services.question_add(survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The question has been added."))
            return redirect("backoffice:participation:round", pk=round_.pk)
    return _render_round(request, round_, status=400, question_form=form)


@permission_required("participation.change_round", fn=load_round)
@require_POST
def codes_generate(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = load_round(request, pk=pk)
    form = CountForm(request.POST)
    survey = _survey_of(round_)
    if survey is None:
        form.add_error(None, _("Create the survey first."))
    elif form.is_valid():
        services.codes_generate(survey=survey, count=form.cleaned_data["count"])
        messages.success(request, _("The codes have been made."))
        return redirect("backoffice:participation:codes", pk=round_.pk)
    return _render_round(request, round_, status=400, count_form=form)


@permission_required("participation.change_round", fn=load_round)
@require_GET
def codes_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sheet of the unused codes: one slip per code, cut apart for door-to-door
    work (print it from the browser)."""
    round_ = load_round(request, pk=pk)
    survey = _survey_of(round_)
    codes = list(survey.codes.filter(used_at__isnull=True)[:MAX_SHEET_CODES]) if survey else []
    start = request.build_absolute_uri(
        reverse("participation:survey", kwargs={"slug": round_.slug})
    )
    context = {"round": round_, "survey": survey, "codes": codes, "start": start}
    return render(request, "participation/backoffice/codes.html", context)


@permission_required("participation.change_round", fn=load_round)
@require_GET
def codes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The code sheet as an A4 PDF (participation/pdf.py): the unused codes only, a round
    without a survey is 404."""
    round_ = load_round(request, pk=pk)
    survey = _survey_of(round_)
    if survey is None:
        raise Http404
    codes = list(survey.codes.filter(used_at__isnull=True).order_by("pk")[:MAX_SHEET_CODES])
    start = request.build_absolute_uri(
        reverse("participation:survey", kwargs={"slug": round_.slug})
    )
    data = pdf.render_pdf(round_=round_, survey=survey, codes=codes, start=start)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"codes-{round_.slug}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@permission_required("participation.change_round", fn=load_round)
@require_POST
def links_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Signed one-use links to send out (shown once; not stored: each answers once)."""
    round_ = load_round(request, pk=pk)
    form = CountForm(request.POST)
    survey = _survey_of(round_)
    if survey is None:
        form.add_error(None, _("Create the survey first."))
    if survey is None or not form.is_valid():
        return _render_round(request, round_, status=400, count_form=form)
    links = [
        tokens.answer_url(tokens.link_token(survey)) for _i in range(form.cleaned_data["count"])
    ]
    return _render_round(request, round_, links=links)


@permission_required("participation.view_round", fn=load_round)
@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = load_round(request, pk=pk)
    survey = _survey_of(round_)
    total, found = selectors.results(survey, with_texts=True) if survey else (0, [])
    context = {"round": round_, "survey": survey, "total": total, "rows": chart_rows(found)}
    return render(request, "participation/backoffice/results.html", context)


@permission_required("participation.view_round", fn=load_round)
@require_GET
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every response as one row, one column per question (free texts included)."""
    round_ = load_round(request, pk=pk)
    survey = _survey_of(round_)
    questions = list(survey.questions.all()) if survey else []
    responses = survey.responses.prefetch_related("answers").order_by("pk") if survey else []

    def rows():
        for response in responses:
            by_question: dict[int, list[str]] = {}
            for item in response.answers.all():
                by_question.setdefault(item.question_id, []).append(
                    item.text if item.value is None else str(item.value)
                )
            yield [response.pk, response.created_at.date().isoformat()] + [
                ", ".join(by_question.get(q.pk, [])) for q in questions
            ]

    return csv_response(
        f"umfrage-{round_.slug}-antworten.csv",
        [_("Response"), _("Date")] + [q.text for q in questions],
        rows(),
        separator=separator_for(request),
    )


@permission_required("participation.change_round", fn=load_round)
@require_POST
def result_record(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = load_round(request, pk=pk)
    survey = _survey_of(round_)
    if survey is None:
        return _render_round(request, round_, status=400)
    form = RecordForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            services.result_record(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The result has been recorded as a measurement."))
            return redirect("backoffice:participation:round", pk=round_.pk)
    return _render_round(request, round_, status=400, record_form=form)


STATUS_CHOICES = Status.choices
