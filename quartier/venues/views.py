"""Public pages: venues, rooms with their availability, the iCal feed, the request form, the
requester's confirmation link and cancel link."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.core import throttle
from quartier.core.forms import add_service_errors
from quartier.core.htmx import render_page
from quartier.core.tokens import BadToken
from quartier.venues import selectors, services
from quartier.venues.forms import PublicRequestForm
from quartier.venues.ics import room_calendar
from quartier.venues.models import BookingSource, BookingStatus, Room, Venue
from quartier.venues.tokens import booking_from_token, confirm_booking_from_token, confirm_max_age


@require_GET
def venue_list(request: HttpRequest) -> HttpResponse:
    venues = (
        Venue.objects.active()
        .select_related("organisation", "area")
        .prefetch_related(Prefetch("rooms", queryset=Room.objects.filter(is_active=True)))
    )
    return render(request, "venues/venue_list.html", {"venues": venues})


@require_GET
def venue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    venue = get_object_or_404(
        Venue.objects.active().select_related("organisation", "area"), slug=slug
    )
    rooms = venue.rooms.filter(is_active=True).prefetch_related("photos")
    return render(
        request,
        "venues/venue_detail.html",
        {
            "venue": venue,
            "rooms": rooms,
            "opening_hours": venue.opening_hours.all(),
            "closing_days": venue.closing_days.filter(last_day__gte=timezone.localdate()),
        },
    )


def _room(venue: str, slug: str) -> Room:
    return get_object_or_404(
        Room.objects.active().select_related("venue__organisation"), venue__slug=venue, slug=slug
    )


def _parse_day(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    # Keep navigation inside a sensible range (no year 9999 pages for crawlers).
    today = timezone.localdate()
    low, high = today - dt.timedelta(days=5 * 366), today + dt.timedelta(days=5 * 366)
    return min(max(day, low), high)


def _availability_context(request: HttpRequest, room: Room) -> dict:
    view = "month" if request.GET.get("view") == "month" else "week"
    day = _parse_day(request.GET.get("date"))
    days = selectors.availability(room, day, view)
    if view == "week":
        previous, following = day - dt.timedelta(days=7), day + dt.timedelta(days=7)
    else:
        first = day.replace(day=1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
    weeks = [days[index : index + 7] for index in range(0, len(days), 7)]
    return {
        "room": room,
        "venue": room.venue,
        "view": view,
        "day": day,
        "days": days,
        "weeks": weeks,
        "previous": previous.isoformat(),
        "following": following.isoformat(),
    }


@require_GET
def room_detail(request: HttpRequest, venue: str, slug: str) -> HttpResponse:
    room = _room(venue, slug)
    context = _availability_context(request, room)
    context["photos"] = room.photos.all()
    context["bodies"] = room.bookable_by_bodies.order_by("name")
    context["can_book"] = request.user.has_perm("venues.book_room", room)
    return render(request, "venues/room_detail.html", context)


@require_GET
def availability(request: HttpRequest, venue: str, slug: str) -> HttpResponse:
    """The week or month grid; htmx gets the fragment, other clients the whole room page."""
    room = _room(venue, slug)
    if not getattr(request, "htmx", False):
        query = request.GET.urlencode()
        return redirect(f"{room.get_absolute_url()}{'?' + query if query else ''}")
    context = _availability_context(request, room)
    return render_page(
        request, "venues/room_detail.html", "venues/partials/availability.html", context
    )


@require_GET
def room_ics(request: HttpRequest, venue: str, slug: str) -> HttpResponse:
    room = _room(venue, slug)
    response = HttpResponse(room_calendar(room), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{room.venue.slug}-{room.slug}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@throttle.throttle_post("venues.request")
def request_form(request: HttpRequest, venue: str, slug: str) -> HttpResponse:
    room = _room(venue, slug)
    if not room.public_requests:
        raise Http404
    user = request.user
    # A resident's form is pre-filled from their account.
    initial = (
        {"name": user.display_name or user.get_full_name(), "email": user.email}
        if user.is_authenticated
        else {}
    )
    form = PublicRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                room=room,
                start=data["start"],
                end=data["end"],
                title=data["title"],
                attendees=data.get("attendees"),
                requester=services.Requester(
                    name=data["name"], email=data["email"], phone=data["phone"], group=data["group"]
                ),
                consent=data["consent"],
                consent_text=form.fields["consent"].label,
                source=BookingSource.PUBLIC,
                created_by=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if booking.status == BookingStatus.UNCONFIRMED:
                text = _(
                    "Thank you. We have sent you an e-mail with a confirmation link. Only when "
                    "you have confirmed with it is the slot reserved and your request sent to "
                    "the venue."
                )
            else:
                text = _("Thank you. Your request has been sent; you will receive an e-mail.")
            messages.success(request, text)
            return redirect(room.get_absolute_url())
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "venues/request_form.html", {"room": room, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def public_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's signed cancel link: GET asks, POST cancels (mail to the venue)."""
    booking = booking_from_token(token)
    if booking is None:
        raise Http404
    if request.method == "POST" and booking.is_active:
        services.booking_cancel(booking=booking, by=None, reason=_("Cancelled by the requester."))
        messages.success(request, _("The booking has been cancelled. Thank you for telling us."))
        return redirect(booking.room.get_absolute_url())
    slot = services.format_slot(booking.start, booking.end)
    return render(request, "venues/cancel.html", {"booking": booking, "slot": slot})


def _link_refused(request: HttpRequest, reason: str) -> HttpResponse:
    """A confirmation link that cannot be used, and why: expired (or purged) or changed."""
    texts = {
        "expired": _(
            "This confirmation link has expired: unconfirmed requests are deleted after "
            "%(hours)s hours. Please send your request again on the room's page."
        )
        % {"hours": int(confirm_max_age().total_seconds() // 3600)},
        "invalid": _(
            "This link is not valid. Please copy the whole address from the e-mail, or send "
            "your request again on the room's page."
        ),
    }
    context = {"title": _("The link does not work"), "text": texts[reason]}
    return render(request, "venues/confirm.html", context, status=400)


@require_http_methods(["GET", "POST"])
def public_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an anonymous request's mail. GET shows a button (mail scanners follow
    links); POST confirms: only now does the request hold its slot. A link used before says
    so; one whose slot was taken meanwhile says that, and nothing is held."""
    try:
        booking = confirm_booking_from_token(token)
    except BadToken as exc:
        return _link_refused(request, exc.reason)
    if booking is None:
        return _link_refused(request, "expired")
    context: dict = {
        "booking": booking,
        "room": booking.room,
        "slot": services.format_slot(booking.start, booking.end),
    }
    if request.method == "GET":
        context["title"] = _("Confirm your room request")
        context["pending"] = booking.status == BookingStatus.UNCONFIRMED
        return render(request, "venues/confirm.html", context)
    try:
        booking, changed = services.booking_confirm_request(booking=booking)
    except services.ConfirmationExpired:
        return _link_refused(request, "expired")
    except ValidationError as exc:
        context.update(
            title=_("Not possible any more"),
            text=" ".join(exc.messages),
            retry=True,
        )
        return render(request, "venues/confirm.html", context, status=409)
    context.update(booking=booking, done=True, used_before=not changed, title=_("Thank you"))
    return render(request, "venues/confirm.html", context)
