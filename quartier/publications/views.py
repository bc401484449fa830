"""Public pages: news, Atom feeds, newsletter sign-up and unsubscribe, the newspaper archive."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import feedgenerator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.areas.models import Area
from quartier.core.throttle import throttle_post
from quartier.core.tokens import BadToken
from quartier.networks.models import Body
from quartier.publications import pdf, selectors, services, tokens
from quartier.publications.forms import LanguageForm, SignUpForm
from quartier.publications.models import Issue, NewsletterList, Post, Subscriber

FEED_ITEMS = 30
TOKEN_MESSAGES = {
    "expired": gettext_lazy(
        "This confirmation link has expired (links are valid for 7 days). Please sign up again."
    ),
    "invalid": gettext_lazy(
        "This link is not valid. It may have been shortened or changed when it was "
        "copied; please use the complete link from the e-mail."
    ),
}


def _message(request: HttpRequest, title: str, text: str, status: int = 200) -> HttpResponse:
    return render(
        request, "publications/message.html", {"title": title, "text": text}, status=status
    )


def _bad_token(request: HttpRequest, exc: BadToken) -> HttpResponse:
    text = TOKEN_MESSAGES.get(exc.reason, TOKEN_MESSAGES["invalid"])
    return _message(request, _("The link does not work"), str(text), status=400)


# --- News ------------------------------------------------------------------------------------


def news(request: HttpRequest) -> HttpResponse:
    area = body = None
    if request.GET.get("area"):
        area = Area.objects.public().filter(slug=request.GET["area"]).first()
    if request.GET.get("body"):
        body = Body.objects.public().filter(slug=request.GET["body"]).first()
    tag = request.GET.get("tag", "")[:60]
    posts = selectors.public_posts(area=area, body=body, tag=tag)
    page = Paginator(posts, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "publications/news.html",
        {"page": page, "area": area, "body": body, "tag": tag},
    )


def _jsonld(post: Post, request: HttpRequest) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "description": post.teaser,
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "url": request.build_absolute_uri(post.get_absolute_url()),
        "author": {"@type": "Organization", "name": post.organisation.name},
        "publisher": {"@type": "Organization", "name": post.organisation.name},
    }
    if post.image:
        data["image"] = request.build_absolute_uri(post.image.url)
    if post.tag_list:
        data["keywords"] = ", ".join(post.tag_list)
    # The closing tag of a script cannot appear: "<" is escaped.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        post = selectors.public_post(slug)
    except Post.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request, "publications/post.html", {"post": post, "jsonld": _jsonld(post, request)}
    )


def _feed(request: HttpRequest, title: str, link: str, posts) -> HttpResponse:
    feed = feedgenerator.Atom1Feed(
        title=title,
        link=request.build_absolute_uri(link),
        description="",
        language=get_language() or settings.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(),
    )
    for post in posts[:FEED_ITEMS]:
        feed.add_item(
            title=post.title,
            link=request.build_absolute_uri(post.get_absolute_url()),
            description=post.teaser,
            content=post.text,
            unique_id=request.build_absolute_uri(post.get_absolute_url()),
            pubdate=post.published_at,
            updateddate=post.updated_at,
            author_name=post.organisation.name,
            categories=post.tag_list,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@require_GET
def feed_all(request: HttpRequest) -> HttpResponse:
    from django.urls import reverse

    link = reverse("publications:news")
    return _feed(request, _("Quartier: news"), link, selectors.public_posts())


@require_GET
def feed_area(request: HttpRequest, slug: str) -> HttpResponse:
    from django.urls import reverse

    area = get_object_or_404(Area.objects.public(), slug=slug)
    link = reverse("publications:news") + f"?area={area.slug}"
    title = _("News for %(area)s") % {"area": area.name}
    return _feed(request, title, link, selectors.public_posts(area=area))


@require_GET
def feed_body(request: HttpRequest, slug: str) -> HttpResponse:
    from django.urls import reverse

    body = get_object_or_404(Body.objects.public(), slug=slug)
    link = reverse("publications:news") + f"?body={body.slug}"
    title = _("News of %(body)s") % {"body": body.name}
    return _feed(request, title, link, selectors.public_posts(body=body))


# --- Newsletter ------------------------------------------------------------------------------


def lists(request: HttpRequest) -> HttpResponse:
    return render(request, "publications/lists.html", {"lists": selectors.open_lists()})


@throttle_post("publications.subscribe")
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    newsletter = get_object_or_404(NewsletterList, slug=slug, is_active=True)
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request,
                "publications/subscribe.html",
                {"form": form, "newsletter": newsletter},
                status=400,
            )
        services.subscriber_sign_up(
            newsletter=newsletter,
            email=form.cleaned_data["email"],
            language=get_language() or "de",
        )
        # The same answer whether the address was subscribed already or not (services).
        return _message(
            request,
            _("Please confirm your e-mail address"),
            _(
                "We have sent you an e-mail. The newsletter starts once you have confirmed it "
                "with the link in that e-mail; unconfirmed sign-ups are deleted after 7 days. "
                "If this address is subscribed already, the e-mail says so."
            ),
        )
    return render(request, "publications/subscribe.html", {"form": form, "newsletter": newsletter})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        tokens.read_confirm(token)
    except BadToken as exc:
        return _bad_token(request, exc)
    if request.method == "GET":
        return render(request, "publications/confirm.html", {"token": token})
    subscriber = services.subscriber_confirm(token=token)
    if subscriber is None:
        return _message(
            request,
            _("Nothing to confirm"),
            _("This sign-up no longer exists. Please sign up again."),
        )
    return _message(
        request,
        _("Subscription confirmed"),
        _("Thank you. You will receive %(name)s.") % {"name": subscriber.newsletter.name},
    )


@csrf_exempt  # the signed token is the credential; mail programs POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk = tokens.read_unsubscribe(token)
    except BadToken as exc:
        return _bad_token(request, exc)
    subscriber = Subscriber.objects.select_related("newsletter").filter(pk=pk).first()
    if request.method == "GET":
        return render(
            request, "publications/unsubscribe.html", {"token": token, "subscriber": subscriber}
        )
    if subscriber is None or not services.subscriber_unsubscribe(subscriber_id=pk):
        return _message(
            request,
            _("Already unsubscribed"),
            _("This address receives this newsletter no longer. Nothing else to do."),
        )
    return _message(
        request,
        _("Unsubscribed"),
        _("You will receive %(name)s no longer. Your address will be deleted within %(days)s days.")
        % {"name": subscriber.newsletter.name, "days": services.retention_days()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@throttle_post("publications.manage")
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every list the address of this link receives, each with its unsubscribe button, and
    the language of its mails."""
    try:
        pk = tokens.read_manage(token)
    except BadToken as exc:
        return _bad_token(request, exc)
    subscriber = Subscriber.objects.filter(pk=pk).first()
    rows = []
    saved = False
    form = None
    if subscriber is not None:
        active = list(
            Subscriber.objects.active()
            .filter(email=subscriber.email)
            .select_related("newsletter")
            .order_by("newsletter__name")
        )
        rows = [(other, tokens.unsubscribe_token(other)) for other in active]
        current = active[0].language if active else subscriber.language
        form = LanguageForm(request.POST or None, initial={"language": current})
        if request.method == "POST" and active:
            if form.is_valid():
                services.subscriber_set_language(
                    subscriber=subscriber, language=form.cleaned_data["language"]
                )
                saved = True
            else:
                status = 400
                return render(
                    request,
                    "publications/manage.html",
                    {"rows": rows, "form": form, "token": token},
                    status=status,
                )
    return render(
        request,
        "publications/manage.html",
        {"rows": rows, "form": form if rows else None, "token": token, "saved": saved},
    )


@csrf_exempt  # called by the mail server with the shared token, not by a browser
@require_POST
def bounce_webhook(request: HttpRequest) -> HttpResponse:
    """A bounce reported by the mail server: JSON {"email": ..., "permanent": true|false}
    with `Authorization: Bearer <QUARTIER_NEWSLETTER_BOUNCE_TOKEN>`."""
    expected = getattr(settings, "QUARTIER_NEWSLETTER_BOUNCE_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"message": _("Not allowed.")}, status=403)
    try:
        data = json.loads(request.body or b"{}")
        email = str(data["email"])
        permanent = bool(data.get("permanent", True))
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"message": _('Expected JSON {"email": "...", "permanent": true}.')}, status=400
        )
    marked = services.bounce_record(email=email, permanent=permanent)
    return JsonResponse({"marked": marked})


# --- The newspaper ---------------------------------------------------------------------------


def archive(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.archive(), 24).get_page(request.GET.get("page"))
    return render(request, "publications/archive.html", {"page": page})


def _published_issue(pk: int) -> Issue:
    issue = Issue.objects.select_related("area", "organisation").filter(pk=pk).first()
    if issue is None or not issue.is_published:
        raise Http404
    return issue


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _published_issue(pk)
    return render(
        request, "publications/issue.html", {"issue": issue, "edition": selectors.edition(issue)}
    )


@require_GET
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _published_issue(pk)
    response = HttpResponse(pdf.issue_pdf(issue), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="quartierszeitung-{issue.pk}.pdf"'
    return response
