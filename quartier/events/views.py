"""Public pages: calendar (list and month), event detail, iCal, registration, helper shifts."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.core import throttle
from quartier.core.forms import add_service_errors
from quartier.core.htmx import render_page
from quartier.core.tokens import BadToken
from quartier.events import ics, selectors, services, tokens
from quartier.events.forms import CalendarFilterForm, RegistrationForm, ShiftSignupForm
from quartier.events.jsonld import event_jsonld
from quartier.events.models import Event, RegistrationStatus, Shift

PAGE_SIZE = 50
CONFIRM_BY_MAIL = gettext_lazy(
    "Thank you. We have sent you an e-mail with a confirmation link. Only when you have "
    "confirmed with it do you hold a place (or a place on the waiting list); the e-mail also "
    "says if this address is registered already."
)
CONFIRM_SIGNUP_BY_MAIL = gettext_lazy(
    "Thank you. We have sent you an e-mail with a confirmation link. Only when you have "
    "confirmed with it are you signed up for this shift."
)
ICS_TYPE = "text/calendar; charset=utf-8"


def _filters(request: HttpRequest) -> tuple[CalendarFilterForm, dict]:
    form = CalendarFilterForm(request.GET or None)
    if not request.GET:
        return form, {}
    form.is_valid()
    return form, form.cleaned_data


def alert_url(*, area=None, topics=()) -> str:
    """The alerts app's subscribe form for new events (alerts/sources.py, key "events"), with
    the area and the topics the visitor is looking at already chosen."""
    pairs = [("source", "events")]
    if area is not None:
        pairs.append(("alert_area", area.slug))
    pairs.extend(("topic", str(topic.pk)) for topic in topics)
    return f"{reverse('alerts:create')}?{urlencode(pairs)}"


def _query(request: HttpRequest) -> str:
    keys = ("area", "category", "topic", "target_group", "free")
    params = request.GET.copy()
    for key in list(params):
        if key not in keys:
            del params[key]
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """Upcoming events as a list, filtered; advertises its iCal and JSON twins."""
    form, filters = _filters(request)
    events = selectors.calendar_events(filters).upcoming().prefetch_related("organisations")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "month_url": reverse("events:month", args=[today.year, today.month]),
        "alert_url": alert_url(
            area=filters.get("area"), topics=[filters["topic"]] if filters.get("topic") else []
        ),
    }
    return render_page(request, "events/calendar.html", "events/partials/results.html", context)


@require_GET
def month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    form, filters = _filters(request)
    weeks = selectors.month_grid(year, month, selectors.calendar_events(filters))
    first = dt.date(year, month, 1)
    previous = first - dt.timedelta(days=1)
    following = first + dt.timedelta(days=32)
    context = {
        "form": form,
        "weeks": weeks,
        "first": first,
        "query": _query(request),
        "previous": reverse("events:month", args=[previous.year, previous.month]),
        "next": reverse("events:month", args=[following.year, following.month]),
        "alert_url": alert_url(
            area=filters.get("area"), topics=[filters["topic"]] if filters.get("topic") else []
        ),
    }
    return render_page(request, "events/month.html", "events/partials/month_table.html", context)


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """The whole calendar (or any filter of it) as iCal, rendered in one pass."""
    form, filters = _filters(request)
    if form.errors:
        return HttpResponseBadRequest(_("Unknown filter value."), content_type="text/plain")
    since = timezone.now() - dt.timedelta(days=30)
    events = selectors.calendar_events(filters).filter(ends_at__gte=since)
    body = ics.calendar_bytes(events, name=_("Quartier calendar"))
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="quartier.ics"'
    return response


def _public_event(slug: str) -> Event:
    return get_object_or_404(selectors.event_detail_queryset().published(), slug=slug)


def _detail_context(
    request: HttpRequest, event: Event, *, signup_form: ShiftSignupForm | None = None, **extra
) -> dict:
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    user = request.user
    # A resident's forms are pre-filled from their account (its display name first).
    initial = (
        {"name": user.display_name or user.get_full_name(), "email": user.email}
        if user.is_authenticated
        else {}
    )
    signup_initial = (
        {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
        if user.is_authenticated
        else {}
    )
    for shift in event.shifts.all():
        # Only consenting helpers are named (selectors.event_detail_queryset); count the rest.
        shift.unnamed_count = shift.signup_count - len(getattr(shift, "named_signups", []))
        # One form per shift, each with its own field ids (prefix).
        bound = signup_form is not None and signup_form.prefix == f"shift{shift.pk}"
        shift.form = (
            signup_form
            if bound
            else ShiftSignupForm(prefix=f"shift{shift.pk}", initial=signup_initial)
        )
    context = {
        "event": event,
        "jsonld": json.dumps(event_jsonld(event, request), ensure_ascii=False).replace(
            "</", "<\\/"
        ),
        "places_left": max((event.capacity or 0) - confirmed, 0),
        "registration_open": event.registration_open(),
        "form": RegistrationForm(initial=initial),
        "now": timezone.now(),
        # New events like this one: its first public area and its topics (both prefetched).
        "alert_url": alert_url(
            area=next((area for area in event.areas.all() if area.is_public), None),
            topics=event.topics.all(),
        ),
    }
    context.update(extra)
    return context


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    return render(request, "events/detail.html", _detail_context(request, event))


@require_GET
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published().select_related("category"), slug=slug)
    response = HttpResponse(ics.calendar_bytes([event], name=event.title), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        refusal = throttle.hit("events.register", request, address=form.cleaned_data["email"])
        if refusal is not None:
            return throttle.refused_response(request, refusal)
        try:
            registration = services.registration_create(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                consent_text=form.fields["consent"].label,
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Alike whether the address was registered already, got a place, waits or is
            # pending: the mail says which (services.registration_create). Only an account
            # registering its own verified address skips the confirmation.
            if services.address_proven(request.user, registration.email):
                text = _(
                    "Thank you. We have sent you an e-mail about your registration; it says "
                    "whether you have a place or are on the waiting list."
                )
            else:
                text = CONFIRM_BY_MAIL
            messages.success(request, text)
            return redirect(event)
    context = _detail_context(request, event, form=form)
    return render(request, "events/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link from the confirmation mail: GET asks, POST cancels."""
    registration = tokens.registration_from_token(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration has been cancelled."))
        return redirect(registration.event)
    return render(request, "events/registration_cancel.html", {"registration": registration})


@require_POST
def shift_signup(request: HttpRequest, slug: str, shift_id: int) -> HttpResponse:
    event = _public_event(slug)
    shift = get_object_or_404(Shift.objects.select_related("event"), pk=shift_id, event=event)
    form = ShiftSignupForm(request.POST, prefix=f"shift{shift.pk}")
    if form.is_valid():
        refusal = throttle.hit("events.shift_signup", request, address=form.cleaned_data["email"])
        if refusal is not None:
            return throttle.refused_response(request, refusal)
        try:
            signup = services.shift_signup_create(
                shift=shift, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if services.address_proven(request.user, signup.email):
                messages.success(request, _("Thank you! You are signed up for this shift."))
            else:
                messages.success(request, CONFIRM_SIGNUP_BY_MAIL)
            return redirect(event)
    context = _detail_context(request, event, signup_form=form)
    return render(request, "events/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def signup_cancel(request: HttpRequest, token: str) -> HttpResponse:
    signup = tokens.signup_from_token(token)
    if signup is None:
        raise Http404
    if request.method == "POST":
        event = signup.shift.event
        services.shift_signup_cancel(signup=signup)
        messages.success(request, _("You have been removed from the shift."))
        return redirect(event)
    return render(request, "events/signup_cancel.html", {"signup": signup})


def _link_refused(request: HttpRequest, reason: str, *, event: Event | None = None) -> HttpResponse:
    """A confirmation link that cannot be used, and why: expired, changed or gone."""
    texts = {
        "expired": _(
            "This confirmation link has expired: unconfirmed requests are deleted after "
            "%(hours)s hours. Please register again on the event's page."
        )
        % {"hours": int(tokens.confirm_max_age().total_seconds() // 3600)},
        "invalid": _(
            "This link is not valid. Please copy the whole address from the e-mail, or register "
            "again on the event's page."
        ),
    }
    context = {"title": _("The link does not work"), "text": texts[reason], "event": event}
    return render(request, "events/confirm.html", context, status=400)


def _confirm(request: HttpRequest, token: str, *, read, confirm, kind: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms. A link used before says
    so; an expired or changed one says why it does not work."""
    try:
        obj = read(token)
    except BadToken as exc:
        return _link_refused(request, exc.reason)
    if obj is None:
        return _link_refused(request, "expired")
    event = obj.event if kind == "registration" else obj.shift.event
    context: dict = {"kind": kind, "obj": obj, "event": event}
    if request.method == "GET":
        context["title"] = _("Confirm your e-mail address")
        return render(request, "events/confirm.html", context)
    try:
        obj, changed = confirm(obj)
    except services.ConfirmationExpired:
        return _link_refused(request, "expired", event=event)
    except ValidationError as exc:
        context.update(title=_("Not possible any more"), text=" ".join(exc.messages))
        return render(request, "events/confirm.html", context, status=409)
    context.update(obj=obj, done=True, used_before=not changed, title=_("Thank you"))
    return render(request, "events/confirm.html", context)


@require_http_methods(["GET", "POST"])
def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a pending registration's mail: only now does it take a place."""
    return _confirm(
        request,
        token,
        read=tokens.registration_confirm_from_token,
        confirm=lambda obj: services.registration_confirm(registration=obj),
        kind="registration",
    )


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _confirm(
        request,
        token,
        read=tokens.signup_confirm_from_token,
        confirm=lambda obj: services.shift_signup_confirm(signup=obj),
        kind="signup",
    )
