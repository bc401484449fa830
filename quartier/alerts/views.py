"""Pages for saved searches, area alerts and news alerts (new events by area and topic). They
work without JavaScript and without login."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy, ngettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from quartier.alerts import services, throttle, tokens
from quartier.alerts.forms import SubscriptionForm, search_params
from quartier.alerts.models import CONSENT_TEXT, Subscription
from quartier.core import throttle as core_throttle
from quartier.core.permissions import loader, permission_required
from quartier.core.tokens import BadToken

TOKEN_MESSAGES = {
    "expired": gettext_lazy(
        "This confirmation link has expired (links are valid for 7 days). Please subscribe again."
    ),
    "invalid": gettext_lazy(
        "This link is not valid. It may have been shortened or changed when it was "
        "copied; please use the complete link from the e-mail."
    ),
}


REFUSALS = {
    "address_recent": ngettext_lazy(
        "We sent an e-mail to this address a few minutes ago. To protect addresses from "
        "unwanted mail, Quartier sends at most one confirmation e-mail to an address every "
        "10 minutes. Please confirm the alert from that e-mail first, or try again in "
        "%(minutes)d minute.",
        "We sent an e-mail to this address a few minutes ago. To protect addresses from "
        "unwanted mail, Quartier sends at most one confirmation e-mail to an address every "
        "10 minutes. Please confirm the alert from that e-mail first, or try again in "
        "%(minutes)d minutes.",
        "minutes",
    ),
    "address_daily": gettext_lazy(
        "This address has already received several confirmation e-mails today. To protect "
        "it from unwanted mail, Quartier sends no more today. Please confirm an alert from "
        "one of those e-mails, or try again tomorrow."
    ),
    "client": ngettext_lazy(
        "Many alerts have been requested from your network within the last hour. To prevent "
        "misuse, Quartier sends no more confirmation e-mails for it for now. Please try again "
        "in %(minutes)d minute.",
        "Many alerts have been requested from your network within the last hour. To prevent "
        "misuse, Quartier sends no more confirmation e-mails for it for now. Please try again "
        "in %(minutes)d minutes.",
        "minutes",
    ),
}


def _message(request: HttpRequest, title: str, text: str, status: int = 200) -> HttpResponse:
    return render(request, "alerts/message.html", {"title": title, "text": text}, status=status)


def _refused(request: HttpRequest, refusal: throttle.Refusal) -> HttpResponse:
    """429 with a page saying which limit applies and when to try again."""
    minutes = max(1, -(-refusal.retry_after // 60))  # rounded up
    text = REFUSALS[refusal.reason] % {"minutes": minutes}
    response = _message(request, _("Please wait a little"), text, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _bad_token(request: HttpRequest, exc: BadToken) -> HttpResponse:
    text = TOKEN_MESSAGES.get(exc.reason, TOKEN_MESSAGES["invalid"])
    return _message(request, _("The link does not work"), str(text), status=400)


def subscriptions(request: HttpRequest) -> HttpResponse:
    """The subscriber's own alerts (by account); e-mail subscribers manage theirs by link."""
    own = []
    if request.user.is_authenticated:
        own = list(Subscription.objects.filter(user=request.user).select_related("area"))
    return render(request, "alerts/list.html", {"subscriptions": own})


@require_http_methods(["GET", "POST"])
@core_throttle.throttle_post("alerts.create")
def create(request: HttpRequest) -> HttpResponse:
    """Subscribe: GET takes the search page's query string (q and filters) or ?area=<slug>."""
    if request.method == "POST":
        return _subscribe(request)
    source = request.GET.get("source", "")[:40]
    if source:
        # A news alert (alerts/sources.py): the area and the topics the visitor looked at.
        initial = {"source": source, "topics": request.GET.getlist("topic")[:50]}
    else:
        initial = {"q": request.GET.get("q", "")[:500], "params": search_params(request.GET)}
    if request.GET.get("alert_area"):
        initial["alert_area"] = request.GET["alert_area"]
    form = SubscriptionForm(initial=initial, user=request.user)
    return _form_page(request, form)


def _form_page(request: HttpRequest, form: SubscriptionForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "consent_text": CONSENT_TEXT,
        "news": "q" not in form.fields,  # the form drops the search text for news alerts
    }
    return render(request, "alerts/create.html", context, status=status)


def _subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        result = services.subscription_create(
            user=request.user,
            email=data.get("email", ""),
            kind=form.kind,
            frequency=data["frequency"],
            language=get_language() or "de",
            query=data.get("q", ""),
            params=data.get("params", ""),
            area=data.get("alert_area"),
            client=throttle.client_address(request),
            source=data.get("source", ""),
            topics=data.get("topics") or (),
        )
    except services.ConfirmationRefused as exc:
        return _refused(request, exc.refusal)
    if request.user.is_authenticated and result.subscription.confirmed_at is not None:
        messages.success(request, _("Your alert is saved."))
        return redirect("alerts:list")
    # An account whose address is not proven confirms by mail like anyone (services).
    # The same answers whether the address had this alert already or not (services).
    if not result.mailed:
        text = _(
            "We sent you an e-mail with a confirmation link for this alert a few minutes "
            "ago. Please look in your inbox and in the spam folder; the link is valid for 7 "
            "days. If the e-mail does not arrive, you can ask for a new one in 10 minutes."
        )
        return _message(request, _("Please check your inbox"), text)
    text = _(
        "We have sent you an e-mail. A new alert starts once you have confirmed it with the "
        "link in that e-mail; unconfirmed requests are deleted after 7 days. If this address "
        "already has the alert, the e-mail says so and how to end it."
    )
    return _message(request, _("Please confirm your e-mail address"), text)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        tokens.read_confirm(token)
    except BadToken as exc:
        return _bad_token(request, exc)
    if request.method == "GET":
        return render(request, "alerts/confirm.html", {"token": token})
    subscription = services.subscription_confirm(token=token)
    if subscription is None:
        return _message(
            request,
            _("Nothing to confirm"),
            _("This alert no longer exists. Please subscribe again."),
        )
    return _message(
        request,
        _("Alert confirmed"),
        _("Thank you. You will get the digest %(frequency)s.")
        % {"frequency": subscription.get_frequency_display()},
    )


@csrf_exempt  # the signed token is the credential; mail programs POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk = tokens.read_unsubscribe(token)
    except BadToken as exc:
        return _bad_token(request, exc)
    if request.method == "GET":
        subscription = Subscription.objects.filter(pk=pk).first()
        return render(
            request, "alerts/unsubscribe.html", {"token": token, "subscription": subscription}
        )
    services.subscription_unsubscribe(token=token)
    return _message(
        request,
        _("Unsubscribed"),
        _("You will get no more e-mails for this alert. Your address was deleted with it."),
    )


@loader
def _own(request: HttpRequest, pk: int) -> Subscription:
    return get_object_or_404(Subscription, pk=pk, user=request.user)


@require_POST
@permission_required("alerts.delete_subscription", fn=_own)
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own(request, pk=pk)
    services.subscription_delete(subscription=obj)
    messages.success(request, _("The alert was deleted."))
    return redirect("alerts:list")
