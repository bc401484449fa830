"""Back office of joint statements (/verwaltung/statements/): the list, the planners'
overview, drafting and editing (each change a version), versions with comments, the diff
view, opening for signature, signing, withdrawing, publishing.

A refused action re-renders the statement with status 400 and says why; nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.accounts.rules import is_platform_admin
from quartier.core.forms import add_service_errors
from quartier.core.permissions import loader, permission_required
from quartier.networks.models import Body
from quartier.networks.rules import coordinated_body_ids, planned_body_ids
from quartier.statements import diff, selectors, services
from quartier.statements.forms import (
    CommentForm,
    CompareForm,
    OverviewFilter,
    SignForm,
    StatementForm,
)
from quartier.statements.models import Statement, StatementVersion
from quartier.statements.rules import signable_organisation_ids, signing_rights

PAGE_SIZE = 50


@loader
def load_statement(request: HttpRequest, pk: int, **kwargs) -> Statement:
    return get_object_or_404(Statement.objects.select_related("body", "topic", "document"), pk=pk)


@loader
def load_body(request: HttpRequest, slug: str) -> Body:
    return get_object_or_404(Body, slug=slug)


def _draftable_bodies(user):
    if is_platform_admin(user):
        return Body.objects.active().order_by("name")
    ids = coordinated_body_ids(user) | {body for body, _org in signing_rights(user)}
    return Body.objects.active().filter(pk__in=ids).order_by("name")


@require_GET
@permission_required("statements.use_backoffice")
def index(request: HttpRequest) -> HttpResponse:
    statements = selectors.with_counts(selectors.visible_to(request.user)).order_by(
        "-updated_at", "-pk"
    )
    page = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "bodies": _draftable_bodies(request.user),
        "overview": request.user.has_perm("statements.view_overview"),
    }
    return render(request, "statements/backoffice/index.html", context)


@require_GET
@permission_required("statements.view_overview")
def overview(request: HttpRequest) -> HttpResponse:
    bodies = Body.objects.order_by("name")
    if not is_platform_admin(request.user):
        bodies = bodies.filter(pk__in=planned_body_ids(request.user))
    form = OverviewFilter(request.GET or None, bodies=list(bodies))
    status = 200
    statements: QuerySet[Statement] = Statement.objects.none()
    if not request.GET:
        statements = selectors.overview(request.user)
    elif form.is_valid():
        statements = selectors.overview(request.user, **form.cleaned_data)
    else:
        status = 400
    page = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "statements/backoffice/overview.html", {"form": form, "page": page}, status=status
    )


@require_http_methods(["GET", "POST"])
@permission_required("statements.add_statement", fn=load_body)
def create(request: HttpRequest, slug: str) -> HttpResponse:
    body = load_body(request, slug=slug)
    form = StatementForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            statement = services.statement_create(
                body=body,
                title=data["title"],
                text=data["text"],
                topic=data["topic"],
                areas=data["areas"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft has been saved as version 1."))
            return redirect("backoffice:statements:detail", pk=statement.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "statements/backoffice/form.html",
        {"form": form, "body": body, "statement": None},
        status=status,
    )


def _refuse_if_published(statement: Statement) -> None:
    """A published statement is frozen for everyone, platform admins included (the rules
    say so for everyone else; superusers pass every rule)."""
    if statement.is_published:
        raise PermissionDenied


def _detail(request: HttpRequest, statement: Statement, *, status: int = 200) -> HttpResponse:
    versions = list(statement.versions.select_related("author").order_by("-number"))
    signatures = list(
        statement.signatures.select_related("organisation", "signed_by").order_by(
            "withdrawn_at", "signed_on", "organisation__name"
        )
    )
    mine = signable_organisation_ids(request.user, statement)
    signed = {s.organisation_id for s in signatures if s.withdrawn_at is None}
    user = request.user
    context = {
        "statement": statement,
        "areas": list(statement.areas.all()),
        "versions": versions,
        "signatures": signatures,
        "sign_form": SignForm(organisation_ids=mine - signed),
        "withdrawable": [
            s for s in signatures if s.withdrawn_at is None and s.organisation_id in mine
        ],
        "can_edit": user.has_perm("statements.change_statement", statement),
        "can_open": user.has_perm("statements.open_statement", statement),
        "can_publish": user.has_perm("statements.publish_statement", statement),
        "can_sign": user.has_perm("statements.sign_statement", statement) and bool(mine - signed),
        "can_withdraw": user.has_perm("statements.withdraw_signature", statement),
    }
    return render(request, "statements/backoffice/detail.html", context, status=status)


@require_GET
@permission_required("statements.view_statement", fn=load_statement)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, load_statement(request, pk=pk))


@require_http_methods(["GET", "POST"])
@permission_required("statements.change_statement", fn=load_statement)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    _refuse_if_published(statement)
    initial = {
        "title": statement.title,
        "text": statement.text,
        "topic": statement.topic,
        "areas": list(statement.areas.all()),
    }
    form = StatementForm(request.POST or None, initial=initial, body=statement.body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.statement_update(
                statement=statement,
                title=data["title"],
                text=data["text"],
                topic=data["topic"],
                areas=data["areas"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if version is None:
                messages.info(request, _("The text is unchanged; no new version was made."))
            else:
                messages.success(
                    request,
                    _("Saved as version %(number)s.") % {"number": version.number},
                )
            return redirect("backoffice:statements:detail", pk=statement.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "statements/backoffice/form.html",
        {"form": form, "body": statement.body, "statement": statement},
        status=status,
    )


def _version(statement: Statement, number: int) -> StatementVersion:
    return get_object_or_404(statement.versions.select_related("author"), number=number)


def _version_page(request, statement, version, form, *, status: int = 200) -> HttpResponse:
    comments = version.comments.select_related("author")
    context = {
        "statement": statement,
        "version": version,
        "comments": comments,
        "form": form,
        "can_comment": request.user.has_perm("statements.comment_statement", statement),
    }
    return render(request, "statements/backoffice/version.html", context, status=status)


@require_GET
@permission_required("statements.view_statement", fn=load_statement)
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    return _version_page(request, statement, _version(statement, number), CommentForm())


@require_POST
@permission_required("statements.comment_statement", fn=load_statement)
def comment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    _refuse_if_published(statement)
    found = _version(statement, number)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(version=found, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your comment has been saved."))
            return redirect("backoffice:statements:version", pk=statement.pk, number=number)
    return _version_page(request, statement, found, form, status=400)


@require_GET
@permission_required("statements.view_statement", fn=load_statement)
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    versions = {v.number: v for v in statement.versions.all()}
    form = CompareForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "statements/backoffice/compare.html",
            {"statement": statement, "form": form, "versions": sorted(versions)},
            status=400,
        )
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    if a not in versions or b not in versions:
        raise Http404
    old, new = versions[a], versions[b]
    context = {
        "statement": statement,
        "form": form,
        "versions": sorted(versions),
        "old": old,
        "new": new,
        "title_changed": old.title != new.title,
        "paragraphs": diff.compare(old.text, new.text),
    }
    return render(request, "statements/backoffice/compare.html", context)


def _action(request: HttpRequest, statement: Statement, run, success: str) -> HttpResponse:
    try:
        run()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        statement.refresh_from_db()
        return _detail(request, statement, status=400)
    messages.success(request, success)
    return redirect("backoffice:statements:detail", pk=statement.pk)


@require_POST
@permission_required("statements.open_statement", fn=load_statement)
def open_for_signature(request: HttpRequest, pk: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    return _action(
        request,
        statement,
        lambda: services.statement_open(statement=statement),
        _("The statement is open for signature."),
    )


@require_POST
@permission_required("statements.sign_statement", fn=load_statement)
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    form = SignForm(
        request.POST, organisation_ids=signable_organisation_ids(request.user, statement)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _detail(request, statement, status=400)
    organisation = form.cleaned_data["organisation"]
    return _action(
        request,
        statement,
        lambda: services.statement_sign(
            statement=statement, organisation_id=organisation.pk, user=request.user
        ),
        _("%(organisation)s has signed.") % {"organisation": organisation.name},
    )


@require_POST
@permission_required("statements.withdraw_signature", fn=load_statement)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    form = SignForm(
        request.POST, organisation_ids=signable_organisation_ids(request.user, statement)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _detail(request, statement, status=400)
    organisation = form.cleaned_data["organisation"]
    return _action(
        request,
        statement,
        lambda: services.signature_withdraw(statement=statement, organisation_id=organisation.pk),
        _("The signature of %(organisation)s has been withdrawn.")
        % {"organisation": organisation.name},
    )


@require_POST
@permission_required("statements.publish_statement", fn=load_statement)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    statement = load_statement(request, pk=pk)
    return _action(
        request,
        statement,
        lambda: services.statement_publish(statement=statement, user=request.user),
        _("The statement has been published with its signers."),
    )
