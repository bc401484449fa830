"""Public pages of bodies, meetings, the RSVP link and the iCal feeds."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.core import throttle
from quartier.core.forms import add_service_errors
from quartier.core.permissions import loader
from quartier.core.registry import render_sections
from quartier.directory.models import Organisation
from quartier.networks import hooks, ics, selectors, services
from quartier.networks.forms import (
    ORGANISATION_REQUEST_CONSENT,
    ContactForm,
    JoinForm,
    OrganisationRequestForm,
    RsvpForm,
)
from quartier.networks.models import (
    Body,
    CalendarToken,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
    Visibility,
)
from quartier.networks.rules import acting_organisation_ids

ICS_TYPE = "text/calendar; charset=utf-8"
FEED_CACHE_SECONDS = 3600


@require_GET
def body_list(request: HttpRequest) -> HttpResponse:
    bodies = selectors.bodies_with_dates(Body.objects.public().active()).order_by("name")
    return render(request, "networks/body_list.html", {"bodies": bodies})


@loader
def _visible_body(request: HttpRequest, slug: str) -> Body:
    body = get_object_or_404(
        Body.objects.select_related("kind", "coordinating_organisation"), slug=slug
    )
    if not request.user.has_perm("networks.view_body", body):
        raise Http404
    return body


@require_GET
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = _visible_body(request, slug)
    context = {"body": body, **selectors.public_body_page(body)}
    context["can_manage"] = request.user.has_perm("networks.change_body", body)
    context["sections"] = render_sections(hooks.body_sections, request, body)
    return render(request, "networks/body_detail.html", context)


@require_http_methods(["GET", "POST"])
def body_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff of an organisation on the platform ask to join; everyone else learns who can join
    and how, and may ask for their organisation to be added (`organisation_request`)."""
    body = _visible_body(request, slug=slug)
    if not request.user.has_perm("networks.request_join_body", body):
        if request.method == "POST":
            raise PermissionDenied
        return _join_info(request, body, OrganisationRequestForm())
    organisations = Organisation.objects.filter(pk__in=acting_organisation_ids(request.user))
    form = JoinForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_submit(
                body=body,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your request has been sent; the coordination will answer by e-mail.")
            )
            return redirect(body)
    return render(
        request,
        "networks/body_join.html",
        {"body": body, "form": form},
        status=400 if form.errors else 200,
    )


def _join_info(
    request: HttpRequest, body: Body, form: OrganisationRequestForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "networks/body_join_info.html",
        {
            "body": body,
            "form": form,
            "has_contact": bool(
                body.contact_email
                or (body.coordinating_organisation and body.coordinating_organisation.email)
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@throttle.throttle_post("networks.organisation_request")
def organisation_request(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation not on the platform yet asks to be added (public form, no login)."""
    body = _visible_body(request, slug=slug)
    form = OrganisationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_request_submit(
                body=body,
                organisation_name=data["organisation_name"],
                website=data["website"],
                message=data["message"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                consent_text=ORGANISATION_REQUEST_CONSENT,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you, your request has been sent; the coordination will answer by e-mail."),
            )
            return redirect(body)
    return _join_info(request, body, form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@throttle.throttle_post("networks.contact")
def body_contact(request: HttpRequest, slug: str) -> HttpResponse:
    body = _visible_body(request, slug)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["website"]:
            services.contact_send(
                body=body,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
        messages.success(request, _("Thank you, your message has been sent."))
        return redirect(body)
    return render(
        request,
        "networks/body_contact.html",
        {"body": body, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("body__kind", "host__organisation"), pk=pk
    )
    member = request.user.has_perm("networks.take_part_body", meeting.body)
    if not member and not (meeting.is_public and meeting.body.is_public):
        raise Http404
    agenda = meeting.agenda_items.filter(status="accepted").order_by("position")
    if not member:
        agenda = agenda.filter(is_public=True) if meeting.agenda_published_at else agenda.none()
    minutes = Minutes.objects.filter(meeting=meeting).prefetch_related("decisions").first()
    if minutes and not member and not minutes.is_public:
        minutes = None
    documents = Document.objects.filter(meeting=meeting).prefetch_related("versions")
    if not member:
        documents = documents.filter(visibility=Visibility.PUBLIC)
    return render(
        request,
        "networks/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "minutes": minutes,
            "documents": documents,
            "member": member,
            "can_manage": request.user.has_perm("networks.change_body", meeting.body),
        },
    )


@require_http_methods(["GET", "POST"])
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The answer link from the invitation mail: GET asks to confirm, POST records.

    A GET never changes anything, so mail scanners that open links do not answer for people.
    """
    try:
        invitation, answer = services.rsvp_read(token)
    except services.RsvpError as exc:
        return render(request, "networks/rsvp.html", {"error": exc.message}, status=400)
    context = {
        "invitation": invitation,
        "meeting": invitation.meeting,
        "answer": answer,
        "answer_label": dict(invitation.Answer.choices)[answer],
        "form": RsvpForm(),
    }
    if request.method == "POST":
        try:
            changed = services.invitation_answer(invitation=invitation, answer=answer)
        except services.RsvpError as exc:
            return render(
                request, "networks/rsvp.html", {**context, "error": exc.message}, status=400
            )
        context["done"] = True
        context["changed"] = changed
    elif invitation.answer == answer:
        context["done"] = True
        context["changed"] = False
    return render(request, "networks/rsvp.html", context)


def _feed(request: HttpRequest, meetings, *, name: str, filename: str) -> HttpResponse:
    """An iCal feed, built once per state of its meetings and then served from the cache.

    Building 500 events with icalendar takes about a second; calendar clients poll feeds
    often. The ETag is the meetings' count and latest change (one aggregate query), so a
    client that already has the feed gets a 304, and others get the cached text.
    """
    meetings = selectors.feed_meetings(meetings)
    state = Meeting.objects.filter(pk__in=meetings.values("pk")).aggregate(
        n=Count("pk"), meeting=Max("updated_at"), body=Max("body__updated_at")
    )
    etag = hashlib.sha256(
        f"{filename}|{name}|{state['n']}|{state['meeting']}|{state['body']}".encode()
    ).hexdigest()[:32]
    if request.headers.get("If-None-Match", "").strip('"') == etag:
        response = HttpResponse(status=304)
    else:
        key = f"networks:feed:{etag}"
        content = cache.get(key)
        if content is None:
            content = ics.feed_ics(meetings, name=name)
            cache.set(key, content, FEED_CACHE_SECONDS)
        response = HttpResponse(content, content_type=ICS_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "max-age=300"
    return response


@require_GET
def body_feed(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body.objects.public(), slug=slug)
    meetings = Meeting.objects.public().filter(body=body)
    return _feed(request, meetings, name=body.name, filename=f"{body.slug}.ics")


@require_GET
def organisation_feed(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.active(), slug=slug)
    meetings = selectors.organisation_meetings(organisation)
    return _feed(request, meetings, name=organisation.name, filename=f"{organisation.slug}.ics")


@require_GET
def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    entry = (
        CalendarToken.objects.select_related("person")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if entry is None:
        raise Http404
    meetings = selectors.person_meetings(entry.person)
    response = _feed(
        request, meetings, name=_("My network meetings"), filename=f"meetings-{entry.pk}.ics"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def document_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document__body"), document_id=pk, number=number
    )
    document = version.document
    if not document.is_public or not document.body.is_public:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("networks.take_part_body", document.body):
            raise PermissionDenied
    # Read whole (uploads are capped at QUARTIER_MAX_UPLOAD_BYTES) so no file handle outlives
    # the response when a client never reads the body.
    try:
        with version.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        # The row outlived its file (a lost volume, a failed restore): not found, not a 500.
        raise Http404 from None
    response = HttpResponse(content, content_type=version.mime_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, version.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
