"""Back-office pages (/verwaltung/events/): events, their registrations and shifts, feeds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.core.history import related_entries, render_history
from quartier.core.permissions import loader, permission_required
from quartier.core.tasks import enqueue_on_commit
from quartier.events import selectors, services, tasks
from quartier.events.forms import EventForm, IcalFeedForm, ShiftForm
from quartier.events.models import Event, IcalFeed, Registration, RegistrationStatus, ShiftSignup
from quartier.events.rules import organisation_ids

M2M = ("organisations", "bodies", "areas", "target_groups", "topics")


@loader
def _event(request: HttpRequest, pk: int) -> Event:
    events = Event.objects.select_related("source_feed__organisation")
    return get_object_or_404(events.prefetch_related("organisations", "areas"), pk=pk)


@loader
def _feed(request: HttpRequest, pk: int) -> IcalFeed:
    return get_object_or_404(IcalFeed.objects.select_related("organisation"), pk=pk)


def _split(form: EventForm) -> tuple[dict, dict]:
    data = dict(form.cleaned_data)
    relations = {name: data.pop(name) for name in M2M}
    if data.get("image") is False:  # "clear" ticked
        data["image"] = ""
    elif data.get("image") is None:
        data.pop("image")
    return data, relations


@permission_required("events.add_event")
def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.managed_events(request.user).order_by("-starts_at")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "events/backoffice/list.html", {"page": page})


@permission_required("events.add_event")
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, relations = _split(form)
        try:
            event = services.event_create(fields=fields, user=request.user, **relations)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect("backoffice:events:edit", pk=event.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "events/backoffice/form.html", {"form": form}, status=status)


@permission_required("events.change_event", fn=_event)
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _event(request, pk=pk)
    form = EventForm(request.POST or None, request.FILES or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, relations = _split(form)
        event = Event.objects.get(pk=obj.pk)  # the form wrote into `obj` already
        try:
            services.event_update(event=event, fields=fields, user=request.user, **relations)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect("backoffice:events:edit", pk=obj.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "event": obj}
    return render(request, "events/backoffice/form.html", context, status=status)


@permission_required("events.change_event", fn=_event)
@require_GET
def event_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes of the event and, for those who may see them, of its registrations."""
    obj = _event(request, pk=pk)
    registrations = []
    if request.user.has_perm("events.view_registrations", obj):
        registrations = related_entries(
            Registration.history.filter(event_id=obj.pk),
            name=lambda record: _("Registration of %(name)s") % {"name": record.name},
        )
    return render_history(
        request,
        obj,
        back_url=reverse("backoffice:events:edit", kwargs={"pk": obj.pk}),
        extra_entries=registrations,
    )


@permission_required("events.change_event", fn=_event)
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _event(request, pk=pk)
    try:
        services.event_cancel(event=obj, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The event has been cancelled; everyone registered is told."))
    return redirect("backoffice:events:edit", pk=obj.pk)


@permission_required("events.view_registrations", fn=_event)
@require_http_methods(["GET", "POST"])
def event_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Registrations and helper sign-ups (personal data, for the event's managers only), and
    the form to add a helper shift."""
    obj = _event(request, pk=pk)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shift = form.save(commit=False)
        shift.event = obj
        shift.save()
        messages.success(request, _("The shift has been added."))
        return redirect("backoffice:events:people", pk=obj.pk)
    registrations = Registration.objects.filter(event=obj)
    pending = RegistrationStatus.PENDING
    context = {
        "event": obj,
        # Pending ones (the address not yet confirmed) hold no place: listed apart.
        "registrations": registrations.exclude(status=pending).order_by("status", "created_at"),
        "pending": registrations.filter(status=pending).order_by("created_at"),
        "confirmed_count": registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
        "shifts": obj.shifts.prefetch_related(
            Prefetch(
                "signups",
                ShiftSignup.objects.filter(confirmed_at__isnull=False),
                to_attr="confirmed_signups",
            ),
            Prefetch(
                "signups",
                ShiftSignup.objects.filter(confirmed_at__isnull=True),
                to_attr="pending_signups",
            ),
        ),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "events/backoffice/people.html", context, status=status)


@permission_required("events.view_icalfeed")
@require_http_methods(["GET", "POST"])
def feed_list(request: HttpRequest) -> HttpResponse:
    feeds = IcalFeed.objects.select_related("organisation")
    if not request.user.is_superuser:
        feeds = feeds.filter(organisation_id__in=organisation_ids(request.user))
    may_add = request.user.has_perm("events.add_icalfeed")
    form = IcalFeedForm(request.POST or None, user=request.user) if may_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            feed = form.save()
            enqueue_on_commit(tasks.import_ical_feed, feed.pk)
            messages.success(request, _("The feed has been added and will be imported."))
            return redirect("backoffice:events:feeds")
    status = 400 if request.method == "POST" else 200
    context = {"feeds": feeds, "form": form}
    return render(request, "events/backoffice/feeds.html", context, status=status)


@permission_required("events.change_icalfeed", fn=_feed)
@require_POST
def feed_import(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _feed(request, pk=pk)
    enqueue_on_commit(tasks.import_ical_feed, obj.pk)
    messages.success(request, _("The import has been started."))
    return redirect("backoffice:events:feeds")
