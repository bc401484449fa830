"""Public pages of participation: open rounds of an area, a round with its proposals (list and
map), the proposal form, a proposal's page and its support button, the survey (by printed code
or signed link) and its results (charts with data tables, CSV)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.areas.models import Area
from quartier.core import charts
from quartier.core import tokens as core_tokens
from quartier.core.csvfiles import csv_response, separator_for
from quartier.core.forms import add_service_errors
from quartier.core.throttle import throttle_post
from quartier.participation import selectors, services, tokens
from quartier.participation.forms import (
    CONSENT_REPLIES,
    CONSENT_SURVEY,
    CodeForm,
    ProposalForm,
    SurveyForm,
)
from quartier.participation.models import Proposal, Round, Survey

SUPPORTER_COOKIE = "participation_supporter"
SUPPORTER_SALT = "quartier.participation.supporter"


def _round(slug: str) -> Round:
    return get_object_or_404(selectors.public_rounds(), slug=slug)


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    area = None
    if request.GET.get("area"):
        area = get_object_or_404(Area.objects.public(), slug=request.GET["area"])
    rounds = list(selectors.open_rounds(area)[:100])
    context = {"area": area, "rounds": rounds}
    return render(request, "participation/list.html", context)


@require_GET
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = _round(slug)
    proposals = list(selectors.public_proposals(round_)[:500])
    survey = Survey.objects.filter(round=round_).first()
    context = {
        "round": round_,
        "proposals": proposals,
        "points": selectors.map_points(proposals),
        "survey": survey,
    }
    return render(request, "participation/round.html", context)


@throttle_post("participation.propose")
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = _round(slug)
    if not round_.is_open:
        return render(request, "participation/closed.html", {"round": round_}, status=409)
    form = ProposalForm(request.POST or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_submit(
                round_=round_,
                field=data["field"],
                title=data["title"],
                text=data["text"],
                lat=data["lat"],
                lon=data["lon"],
                author=request.user,
                contact_email=data["contact_email"],
                contact_consent=data["contact_consent"],
                consent_text=CONSENT_REPLIES,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your proposal has been published."))
            return redirect(proposal)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "participation/propose.html", {"round": round_, "form": form}, status=status
    )


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("round__concept__area", "field", "project").filter(
            round__is_published=True, round__concept__area__is_public=True
        ),
        pk=pk,
    )
    return render(request, "participation/proposal.html", {"proposal": proposal})


@throttle_post("participation.support")
@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("round").filter(round__is_published=True), pk=pk
    )
    browser = request.get_signed_cookie(SUPPORTER_COOKIE, default="", salt=SUPPORTER_SALT) or ""
    new_browser = not browser
    if new_browser:
        browser = secrets.token_urlsafe(16)
    try:
        counted = services.proposal_support(
            proposal=proposal,
            supporter=services.supporter_key(user=request.user, browser=browser),
        )
    except ValidationError as exc:
        return render(
            request,
            "participation/closed.html",
            {"round": proposal.round, "message": " ".join(exc.messages)},
            status=409,
        )
    if counted:
        messages.success(request, _("Thank you for your support."))
    else:
        messages.info(request, _("You have supported this proposal already."))
    response = redirect(proposal)
    if new_browser:
        response.set_signed_cookie(
            SUPPORTER_COOKIE,
            browser,
            salt=SUPPORTER_SALT,
            max_age=365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _survey(slug: str) -> Survey:
    survey = Survey.objects.select_related("round__concept__area").filter(round__slug=slug).first()
    if survey is None or not survey.round.is_published:
        raise Http404
    return survey


@throttle_post("participation.code")
@require_http_methods(["GET", "POST"])
def survey_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey's page: a printed code is typed in here and leads to the answer form."""
    survey = _survey(slug)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.code_check(survey=survey, value=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("participation:answer", token=tokens.code_token(survey, code.code))
    status = 400 if request.method == "POST" else 200
    context = {"survey": survey, "round": survey.round, "form": form}
    return render(request, "participation/survey.html", context, status=status)


def _link_problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "participation/link_problem.html", {"message": message}, status=status)


@throttle_post("participation.answer")
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket = tokens.read_ticket(token)
    except core_tokens.BadToken as exc:
        if exc.reason == "expired":
            return _link_problem(request, _("This link has expired."), 400)
        raise Http404 from exc
    survey = (
        Survey.objects.select_related("round__concept__area").filter(pk=ticket.survey_id).first()
    )
    if survey is None or not survey.round.is_published:
        raise Http404
    if not survey.round.is_open:
        return _link_problem(request, _("The survey is closed."), 409)
    if services.ticket_used(ticket):
        return _link_problem(
            request, _("This link has been used already: each one answers once."), 409
        )
    form = SurveyForm(request.POST or None, survey=survey)
    if not form.questions:
        return _link_problem(request, _("This survey has no questions yet."), 409)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                survey=survey,
                ticket=ticket,
                answers=form.answers(),
                contact_email=form.cleaned_data.get("contact_email") or "",
                contact_consent=bool(form.cleaned_data.get("contact_consent")),
                consent_text=CONSENT_SURVEY,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you for taking part."))
            return redirect("participation:results", slug=survey.round.slug)
    status = 400 if request.method == "POST" else 200
    context = {"survey": survey, "round": survey.round, "form": form}
    return render(request, "participation/answer.html", context, status=status)


def chart_rows(results) -> list[dict]:
    rows = []
    for result in results:
        if result.question.kind == "text":
            rows.append({"result": result, "svg": None})
            continue
        svg = charts.bar_chart(
            result.question.text,
            [bar.label for bar in result.bars],
            [bar.value for bar in result.bars],
            label=_("Answers"),
            desc=ngettext(
                "%(n)s answer; the table beside the chart holds the same figures.",
                "%(n)s answers; the table beside the chart holds the same figures.",
                result.answered,
            )
            % {"n": result.answered},
        )
        rows.append({"result": result, "svg": svg})
    return rows


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    total, found = selectors.results(survey)
    context = {"survey": survey, "round": survey.round, "total": total, "rows": chart_rows(found)}
    return render(request, "participation/results.html", context)


def results_rows(found):
    for result in found:
        if result.question.kind == "text":
            continue
        for bar in result.bars:
            yield [result.question.text, bar.label, bar.value, f"{bar.share:.1f}".replace(".", ",")]


@require_GET
def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    _total, found = selectors.results(survey)
    return csv_response(
        f"umfrage-{survey.round.slug}.csv",
        [_("Question"), _("Answer"), _("Count"), _("Share in per cent")],
        results_rows(found),
        separator=separator_for(request),
    )
