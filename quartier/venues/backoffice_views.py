"""Back-office pages: bookings to decide, booking a room, cancelling, exceptions, rooms."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.core.forms import add_service_errors
from quartier.core.history import render_history
from quartier.core.permissions import loader, permission_required
from quartier.core.recurrence import describe
from quartier.directory.models import Organisation
from quartier.venues import booking_checks, selectors, services, slots
from quartier.venues.forms import (
    BookingForm,
    CancelForm,
    ClosingDayFormSet,
    DecisionForm,
    OpeningHoursFormSet,
    RoomForm,
    RoomPhotoFormSet,
    VenueForm,
)
from quartier.venues.models import Booking, BookingStatus, Occupancy, Room, Venue
from quartier.venues.rules import manages_venue, staff_organisation_ids


@loader
def _booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("room__venue", "organisation", "created_by"), pk=pk
    )


@loader
def _room(request: HttpRequest, pk: int) -> Room:
    return get_object_or_404(Room.objects.select_related("venue"), pk=pk)


@loader
def _venue(request: HttpRequest, pk: int) -> Venue:
    return get_object_or_404(Venue, pk=pk)


@permission_required("venues.list_bookings")
def index(request: HttpRequest) -> HttpResponse:
    """Requests waiting for a decision, upcoming bookings, and the rooms the user may book."""
    now = timezone.now()
    visible = selectors.bookings_for(request.user)
    pending = visible.filter(
        status=BookingStatus.REQUESTED, room__venue__in=selectors.managed_venues(request.user)
    )
    upcoming = (
        visible.filter(status=BookingStatus.CONFIRMED)
        .filter(occupancies__occurrence_end__gt=now)
        .distinct()
        .order_by("start")[:50]
    )
    own_requests = visible.filter(status=BookingStatus.REQUESTED, created_by=request.user)
    rooms = selectors.bookable_rooms(request.user).order_by("venue__name", "name")
    return render(
        request,
        "venues/backoffice/index.html",
        {
            "pending": pending.order_by("start")[:50],
            "own_requests": own_requests.order_by("start")[:50],
            "upcoming": upcoming,
            "rooms": rooms,
            "managed_venues": selectors.managed_venues(request.user).order_by("name")[:50],
        },
    )


@permission_required("venues.view_booking", fn=_booking)
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _booking(request, pk=pk)
    now = timezone.now()
    occurrences = (
        Occupancy.objects.filter(booking=obj, is_buffer=False, occurrence_end__gt=now)
        .values_list("occurrence_start", "occurrence_end")
        .distinct()
        .order_by("occurrence_start")[:30]
    )
    return render(
        request,
        "venues/backoffice/booking_detail.html",
        {
            "booking": obj,
            "slot": services.format_slot(obj.start, obj.end),
            "occurrences": [
                (start, services.format_slot(start, end)) for start, end in occurrences
            ],
            "exceptions": obj.exceptions.all(),
            "is_manager": manages_venue(request.user, obj),
            "decision_form": DecisionForm(),
            "cancel_form": CancelForm(),
        },
    )


@require_GET
@permission_required("venues.decide_booking", fn=_booking)
def booking_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes of the booking, for those who decide on it (the requester's contact data is
    blanked in the history too when its retention period is over)."""
    obj = _booking(request, pk=pk)
    back_url = reverse("backoffice:venues:booking", kwargs={"pk": obj.pk})
    return render_history(request, obj, back_url=back_url)


@require_POST
@permission_required("venues.decide_booking", fn=_booking)
def booking_decide(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _booking(request, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose approve or reject."))
        return redirect("backoffice:venues:booking", pk=obj.pk)
    try:
        if form.cleaned_data["action"] == "approve":
            services.booking_approve(booking=obj, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("The booking is confirmed; the requester is told."))
        else:
            services.booking_reject(booking=obj, by=request.user, reason=form.cleaned_data["note"])
            messages.success(request, _("The request is rejected; the requester is told."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("backoffice:venues:booking", pk=obj.pk)


@require_POST
@permission_required("venues.cancel_booking", fn=_booking)
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _booking(request, pk=pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.booking_cancel(booking=obj, by=request.user, reason=reason)
    messages.success(request, _("The booking is cancelled and the slot is free again."))
    return redirect("backoffice:venues:booking", pk=obj.pk)


@require_POST
@permission_required("venues.cancel_booking", fn=_booking)
def booking_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an exception: one occurrence of a series does not take place."""
    obj = _booking(request, pk=pk)
    try:
        occurrence = dt.datetime.fromisoformat(request.POST.get("occurrence", ""))
        if timezone.is_naive(occurrence):
            raise ValueError
        services.booking_skip_occurrence(
            booking=obj, occurrence_start=occurrence, reason=request.POST.get("reason", "")[:200]
        )
    except ValueError:
        messages.error(request, _("Please choose an occurrence."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("This date does not take place; the slot is free."))
    return redirect("backoffice:venues:booking", pk=obj.pk)


def _skip_dates(request: HttpRequest) -> list[dt.datetime] | None:
    """The dates the user agreed to leave out of a series (second step); None if one is
    not a date with time zone (a changed form)."""
    moments = []
    for value in request.POST.getlist("skip")[: slots.MAX_OCCURRENCES]:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        if timezone.is_naive(moment):
            return None
        moments.append(moment)
    return moments


def _refused_context(
    request: HttpRequest, room: Room, exc: services.DatesRefused, data: dict, skip: list
) -> dict:
    """The second step of a refused series: every refused date with its real reason (other
    bookings named only where the user may see them), and the offer to book the rest."""
    others = {c.other_booking_id for c in exc.conflicts if c.other_booking_id}
    names = {
        booking.pk: booking.title
        for booking in Booking.objects.filter(pk__in=others).select_related("room__venue")
        if request.user.has_perm("venues.view_booking", booking)
    }
    refused = [
        (
            services.format_slot(c.start, c.end),
            booking_checks.describe(c, room=room, names=names),
        )
        for c in exc.conflicts
    ]
    return {
        "refused": refused,
        "refused_count": len(refused) + len(skip),
        "total": exc.total + len(skip),
        "remaining": exc.total - len(exc.conflicts),
        "again": bool(skip),
        "skipped_before": [
            date_format(timezone.localtime(moment), "D, d.m.Y H:i") for moment in skip
        ],
        "skip": [m.isoformat() for m in skip] + [c.start.isoformat() for c in exc.conflicts],
        "repost": [
            (name, value)
            for name, values in request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "skip")
            for value in values
        ],
        "rule_text": describe(data["recurrence"], data.get("until")),
    }


@require_http_methods(["GET", "POST"])
@permission_required("venues.book_room", fn=_room)
def booking_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a room. A series with refused dates is not booked: the page lists each refused
    date with its reason and offers to book the series without them (a second POST with the
    same data and `skip`), all or nothing."""
    obj = _room(request, pk=pk)
    organisations = Organisation.objects.filter(pk__in=staff_organisation_ids(request.user))
    form = BookingForm(request.POST or None, organisations=organisations)
    context: dict = {"room": obj, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        skip = _skip_dates(request) if data["recurrence"] else []
        try:
            if skip is None:
                raise ValidationError(_("The dates to leave out are not valid; please try again."))
            booking = services.booking_create(
                room=obj,
                start=data["start"],
                end=data["end"],
                title=data["title"],
                attendees=data.get("attendees"),
                notes=data.get("notes", ""),
                organisation=data.get("organisation"),
                recurrence=data["recurrence"],
                recurrence_until=data.get("until"),
                created_by=request.user,
                skip=skip,
            )
        except services.DatesRefused as exc:
            if data["recurrence"] and skip is not None:
                context.update(_refused_context(request, obj, exc, data, skip))
                status = 409
            else:
                add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The booking is saved."))
            if booking.exceptions.exists():
                messages.info(
                    request,
                    _("The refused dates are left out of the series (listed as exceptions)."),
                )
            return redirect("backoffice:venues:booking", pk=booking.pk)
    if status == 200 and form.is_bound and form.errors:
        status = 400
    return render(request, "venues/backoffice/booking_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("venues.change_room", fn=_room)
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _room(request, pk=pk)
    form = RoomForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The room is saved."))
        return redirect("backoffice:venues:room_edit", pk=obj.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "venues/backoffice/room_form.html", {"room": obj, "form": form}, status=status
    )


@require_POST
@permission_required("venues.delete_room", fn=_room)
def room_delete(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _room(request, pk=pk)
    try:
        services.room_delete(room=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("backoffice:venues:room_edit", pk=obj.pk)
    messages.success(request, _("The room is deleted."))
    return redirect("backoffice:venues:index")


@require_http_methods(["GET", "POST"])
@permission_required("venues.change_venue", fn=_venue)
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The venue's data, opening hours and closing days on one page, saved together."""
    obj = _venue(request, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = VenueForm(data, instance=obj)
    hours = OpeningHoursFormSet(data, instance=obj, prefix="hours")
    closing = ClosingDayFormSet(data, instance=obj, prefix="closing")
    if data is not None and form.is_valid() and hours.is_valid() and closing.is_valid():
        services.venue_update(form=form, opening_hours=hours, closing_days=closing)
        messages.success(request, _("The venue is saved."))
        return redirect("backoffice:venues:venue_edit", pk=obj.pk)
    status = 400 if data is not None else 200
    return render(
        request,
        "venues/backoffice/venue_form.html",
        {"venue": obj, "form": form, "hours": hours, "closing": closing},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required("venues.change_room", fn=_room)
def room_photos(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _room(request, pk=pk)
    data = request.POST if request.method == "POST" else None
    photos = RoomPhotoFormSet(data, request.FILES or None, instance=obj, prefix="photos")
    if data is not None and photos.is_valid():
        services.room_photos_update(photos=photos)
        messages.success(request, _("The photos are saved."))
        return redirect("backoffice:venues:room_photos", pk=obj.pk)
    status = 400 if data is not None else 200
    return render(
        request,
        "venues/backoffice/room_photos.html",
        {"room": obj, "photos": photos},
        status=status,
    )
