"""Back-office pages (/verwaltung/publications/): posts, newsletters, issues, mailings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quartier.accounts.rules import is_platform_admin
from quartier.areas.rules import managed_area_ids
from quartier.core.permissions import loader, permission_required
from quartier.publications import selectors, services
from quartier.publications.forms import (
    ApproveForm,
    ArticleForm,
    IssueForm,
    NewsletterListForm,
    PostForm,
    SendForm,
)
from quartier.publications.models import Issue, Mailing, NewsletterList, Post
from quartier.publications.rules import organisation_ids


def _mine(request: HttpRequest, queryset):
    user = request.user
    if is_platform_admin(user):
        return queryset
    return queryset.filter(
        Q(organisation_id__in=organisation_ids(user)) | Q(area_id__in=managed_area_ids(user))
    )


@loader
def load_post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("organisation"), pk=pk)


@loader
def load_list(request: HttpRequest, pk: int) -> NewsletterList:
    return get_object_or_404(NewsletterList, pk=pk)


@loader
def load_issue(request: HttpRequest, pk: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("area", "organisation"), pk=pk)


@loader
def load_mailing(request: HttpRequest, pk: int) -> Mailing:
    return get_object_or_404(Mailing.objects.select_related("issue", "newsletter"), pk=pk)


def _fields(form) -> dict:
    data = dict(form.cleaned_data)
    if "image" in data:
        if data["image"] is False:  # "clear" ticked
            data["image"] = ""
        elif data["image"] is None:
            data.pop("image")
    return data


def _conflict(request: HttpRequest, exc: services.Conflict, target: str, pk: int) -> HttpResponse:
    return render(
        request,
        "publications/backoffice/conflict.html",
        {"message": str(exc), "back": target, "pk": pk},
        status=409,
    )


# --- Posts -----------------------------------------------------------------------------------


@permission_required("publications.add_post")
def post_list(request: HttpRequest) -> HttpResponse:
    posts = _mine(request, Post.objects.select_related("organisation")).order_by(
        "-published_at", "-pk"
    )[:200]
    return render(request, "publications/backoffice/posts.html", {"posts": posts})


@permission_required("publications.add_post")
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(fields=_fields(form), user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The post has been saved."))
            return redirect("backoffice:publications:post_edit", pk=post.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "publications/backoffice/form.html", {"form": form}, status=status)


@permission_required("publications.change_post", fn=load_post)
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = load_post(request, pk=pk)
    form = PostForm(request.POST or None, request.FILES or None, instance=post, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                post=Post.objects.get(pk=post.pk), fields=_fields(form), user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The post has been saved."))
            return redirect("backoffice:publications:post_edit", pk=post.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "publications/backoffice/form.html", {"form": form, "post": post}, status=status
    )


# --- Newsletters -----------------------------------------------------------------------------


@permission_required("publications.add_post")
def list_list(request: HttpRequest) -> HttpResponse:
    rows = _mine(request, NewsletterList.objects.all()).annotate(
        active=Count(
            "subscribers",
            filter=Q(
                subscribers__confirmed_at__isnull=False,
                subscribers__unsubscribed_at__isnull=True,
                subscribers__bounced_at__isnull=True,
            ),
        )
    )
    return render(request, "publications/backoffice/lists.html", {"lists": rows})


@permission_required("publications.add_post")
@require_http_methods(["GET", "POST"])
def list_create(request: HttpRequest) -> HttpResponse:
    form = NewsletterListForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.list_create(fields=form.cleaned_data, user=request.user)
        messages.success(request, _("The newsletter has been saved."))
        return redirect("backoffice:publications:lists")
    status = 400 if request.method == "POST" else 200
    return render(request, "publications/backoffice/form.html", {"form": form}, status=status)


@permission_required("publications.change_newsletterlist", fn=load_list)
@require_http_methods(["GET", "POST"])
def list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    newsletter = load_list(request, pk=pk)
    form = NewsletterListForm(request.POST or None, instance=newsletter, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.list_update(
            newsletter=NewsletterList.objects.get(pk=pk),
            fields=form.cleaned_data,
            user=request.user,
        )
        messages.success(request, _("The newsletter has been saved."))
        return redirect("backoffice:publications:lists")
    status = 400 if request.method == "POST" else 200
    return render(request, "publications/backoffice/form.html", {"form": form}, status=status)


# --- Issues ----------------------------------------------------------------------------------


@permission_required("publications.add_post")
def issue_list(request: HttpRequest) -> HttpResponse:
    issues = _mine(request, Issue.objects.select_related("area")).order_by("-period_start")[:200]
    return render(request, "publications/backoffice/issues.html", {"issues": issues})


@permission_required("publications.add_post")
@require_http_methods(["GET", "POST"])
def issue_create(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        issue = services.issue_create(fields=form.cleaned_data, user=request.user)
        messages.success(request, _("The issue has been saved."))
        return redirect("backoffice:publications:issue_edit", pk=issue.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "publications/backoffice/form.html", {"form": form}, status=status)


def _issue_page(request: HttpRequest, issue: Issue, form, status: int = 200) -> HttpResponse:
    lists = _mine(request, NewsletterList.objects.all())
    return render(
        request,
        "publications/backoffice/issue.html",
        {
            "issue": issue,
            "form": form,
            "article_form": ArticleForm(),
            "approve_form": ApproveForm(),
            "send_form": SendForm(lists=lists),
            "edition": selectors.edition(issue),
            "mailings": issue.mailings.select_related("newsletter"),
            "history": issue.history.select_related("history_user")[:30],
        },
        status=status,
    )


@permission_required("publications.change_issue", fn=load_issue)
@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = load_issue(request, pk=pk)
    form = IssueForm(request.POST or None, instance=issue, user=request.user)
    if request.method == "POST":
        if not form.is_valid():
            return _issue_page(request, Issue.objects.get(pk=pk), form, status=400)
        try:
            services.issue_update(issue=issue, fields=form.cleaned_data, user=request.user)
        except services.Conflict as exc:
            return _conflict(request, exc, "backoffice:publications:issue_edit", pk)
        messages.success(request, _("The issue has been saved."))
        return redirect("backoffice:publications:issue_edit", pk=pk)
    return _issue_page(request, issue, form)


@permission_required("publications.change_issue", fn=load_issue)
@require_POST
def article_add(request: HttpRequest, pk: int) -> HttpResponse:
    issue = load_issue(request, pk=pk)
    form = ArticleForm(request.POST)
    if not form.is_valid():
        return _issue_page(request, issue, IssueForm(instance=issue, user=request.user), 400)
    try:
        services.article_add(
            issue=issue,
            user=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            post=form.cleaned_data["post"],
        )
    except services.Conflict as exc:
        return _conflict(request, exc, "backoffice:publications:issue_edit", pk)
    messages.success(request, _("The article has been added."))
    return redirect("backoffice:publications:issue_edit", pk=pk)


@permission_required("publications.change_issue", fn=load_issue)
@require_POST
def issue_submit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.issue_submit(issue=load_issue(request, pk=pk), user=request.user)
    except services.Conflict as exc:
        return _conflict(request, exc, "backoffice:publications:issue_edit", pk)
    messages.success(request, _("The issue waits for a second person's review."))
    return redirect("backoffice:publications:issue_edit", pk=pk)


@permission_required("publications.change_issue", fn=load_issue)
@require_POST
def issue_approve(request: HttpRequest, pk: int) -> HttpResponse:
    issue = load_issue(request, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _issue_page(request, issue, IssueForm(instance=issue, user=request.user), 400)
    try:
        services.issue_approve(
            issue=issue, user=request.user, publish_at=form.cleaned_data["publish_at"]
        )
    except services.Conflict as exc:
        return _conflict(request, exc, "backoffice:publications:issue_edit", pk)
    messages.success(request, _("The issue is approved and scheduled."))
    return redirect("backoffice:publications:issue_edit", pk=pk)


@permission_required("publications.send_issue", fn=load_issue)
@require_POST
def issue_send(request: HttpRequest, pk: int) -> HttpResponse:
    issue = load_issue(request, pk=pk)
    form = SendForm(request.POST, lists=_mine(request, NewsletterList.objects.all()))
    if not form.is_valid():
        return _issue_page(request, issue, IssueForm(instance=issue, user=request.user), 400)
    try:
        mailing = services.mailing_start(
            issue=issue, newsletter=form.cleaned_data["newsletter"], user=request.user
        )
    except services.Conflict as exc:
        return _conflict(request, exc, "backoffice:publications:issue_edit", pk)
    messages.success(request, _("The mailing has been queued; the worker sends it."))
    return redirect("backoffice:publications:mailing", pk=mailing.pk)


@permission_required("publications.send_issue", fn=load_mailing)
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = load_mailing(request, pk=pk)
    failures = mailing.failures.order_by("pk")[:100]
    return render(
        request,
        "publications/backoffice/mailing.html",
        {"mailing": mailing, "failures": failures},
    )
