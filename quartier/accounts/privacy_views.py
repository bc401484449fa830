"""DSGVO rights as pages (core/privacy.py does the work in every app):

- account holders: their data as a page and as JSON from the account page; deleting the account
  (views.delete_account) erases everything tied to it;
- people without an account: a mailed, signed link (2 days) to the same page and the erasure;
- admins: a request received by letter (back office), and the processing register (Art. 30).

Every export and erasure is recorded as an `accounts.PrivacyRequest`.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from quartier.accounts import tokens
from quartier.accounts.forms import EraseConfirmForm, LetterRequestForm, PrivacyRequestForm
from quartier.accounts.models import PrivacyRequest
from quartier.accounts.services import (
    AccountNotDeletable,
    privacy_erase,
    privacy_export,
    privacy_request_mail,
)
from quartier.core import privacy, throttle
from quartier.core.permissions import permission_required
from quartier.core.tokens import BadToken


def _json(data: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="quartier-daten-{stamp}.json"'
    return response


def _labels() -> dict[str, str]:
    return {c.key: str(c.name) for _label, c in privacy.categories()}


def _data_page(
    request: HttpRequest,
    data: dict,
    *,
    letter: bool = False,
    account_page: bool = False,
    token: str = "",
    erase_form: EraseConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "export": data,
        "letter": letter,
        "account_page": account_page,
        "token": token,
        "erase_form": erase_form,
    }
    return render(request, "accounts/privacy_data.html", context, status=status)


def _erased_page(request: HttpRequest, counts: dict, notes: list, *, letter: bool) -> HttpResponse:
    context = {"counts": counts, "labels": _labels(), "notes": notes, "letter": letter}
    return render(request, "accounts/privacy_erased.html", context)


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Art. 15/20 for account holders: the page, or `?format=json` for the file."""
    data = privacy_export(
        subject=privacy.Subject.for_user(request.user), channel=PrivacyRequest.Channel.ACCOUNT
    )
    if request.GET.get("format") == "json":
        return _json(data)
    return _data_page(request, data, account_page=True)


@throttle.throttle_post("accounts.privacy_request")
@require_http_methods(["GET", "POST"])
def privacy_request(request: HttpRequest) -> HttpResponse:
    """People without an account ask for their data; the link goes to the address. The answer
    is the same whether or not Quartier holds anything about it."""
    form = PrivacyRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        refusal = throttle.hit("accounts.privacy_request_mail", request, address=email)
        if refusal is not None:
            return throttle.refused_response(request, refusal)
        privacy_request_mail(email=email, language=get_language())
        return redirect("accounts:privacy_request_sent")
    status = 422 if form.is_bound else 200
    return render(request, "accounts/privacy_request.html", {"form": form}, status=status)


@require_GET
def privacy_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy_request_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def privacy_data(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link: the data as a page (or `?format=json`), and the erasure (POST)."""
    try:
        email = tokens.read_privacy(token)
    except BadToken as exc:
        return render(
            request, "accounts/privacy_link_invalid.html", {"reason": exc.reason}, status=400
        )
    subject = privacy.Subject.for_email(email)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                counts = privacy_erase(subject=subject, channel=PrivacyRequest.Channel.EMAIL)
            except AccountNotDeletable:
                messages.error(
                    request,
                    _(
                        "Your account is still referred to by other records. "
                        "Please ask the platform administration to delete it."
                    ),
                )
                return redirect(request.path)
            return _erased_page(request, counts, subject.notes, letter=False)
        status = 422
    else:
        status = 200
    if status == 200:
        data = privacy_export(subject=subject, channel=PrivacyRequest.Channel.EMAIL)
    else:
        # The page again after a refused erasure: shown, not recorded as another export.
        data = privacy.export_data(subject)
    if request.GET.get("format") == "json":
        return _json(data)
    return _data_page(request, data, token=token, erase_form=form, status=status)


@never_cache
@permission_required("accounts.handle_privacy_requests")
@require_http_methods(["GET", "POST"])
def letter_request(request: HttpRequest) -> HttpResponse:
    """An admin handles a request received by letter: export (page and JSON) or erasure."""
    form = LetterRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        subject = privacy.Subject.for_email(form.cleaned_data["email"])
        reference = form.cleaned_data["reference"]
        if form.cleaned_data["action"] == "export":
            data = privacy_export(
                subject=subject,
                channel=PrivacyRequest.Channel.LETTER,
                by=request.user,
                reference=reference,
            )
            if request.POST.get("format") == "json":
                return _json(data)
            return _data_page(request, data, letter=True)
        try:
            counts = privacy_erase(
                subject=subject,
                channel=PrivacyRequest.Channel.LETTER,
                by=request.user,
                reference=reference,
            )
        except AccountNotDeletable:
            messages.error(
                request, _("The account is still referred to by other records: nothing was erased.")
            )
            return redirect("backoffice:accounts:privacy")
        return _erased_page(request, counts, subject.notes, letter=True)
    handled = Paginator(PrivacyRequest.objects.select_related("handled_by"), 50).get_page(
        request.GET.get("page")
    )
    status = 422 if form.is_bound else 200
    return render(
        request,
        "accounts/backoffice/privacy.html",
        {"form": form, "handled": handled},
        status=status,
    )


@permission_required("accounts.handle_privacy_requests")
@require_GET
def processing_register(request: HttpRequest) -> HttpResponse:
    """The processing register (Art. 30), built from every app's privacy and retention rules."""
    return render(
        request, "accounts/backoffice/processing_register.html", {"entries": privacy.register()}
    )
