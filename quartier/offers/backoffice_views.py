"""Back-office pages for offers: list, create, edit (with formsets), review, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quartier.core.geocoding import ESTIMATED, Source
from quartier.core.permissions import loader, permission_required
from quartier.directory.models import Organisation
from quartier.offers import four_eyes, selectors, services
from quartier.offers.forms import (
    LocationFormSet,
    OfferForm,
    OrganisationChoiceForm,
    ReviewNoteForm,
    ScheduleFormSet,
    point_bounds,
    snapshot_from_forms,
)
from quartier.offers.models import Offer, OfferRevision, ReviewState
from quartier.offers.presentation import hours_of
from quartier.offers.snapshot import offer_snapshot, snapshot_diff

PAGE_SIZE = 50


@loader
def _offer(request: HttpRequest, pk: Any) -> Offer:
    return get_object_or_404(Offer.objects.select_related("organisation"), pk=pk)


@permission_required("offers.access_offers")
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = selectors.offers_manageable_by(request.user).order_by("name")
    show = request.GET.get("show", "")
    if show == "stale":
        offers = offers.filter(stale=True)
    elif show == "no_position":
        offers = offers.filter(locations__in=selectors.locations_without_point()).distinct()
    elif show == "estimated":
        offers = offers.filter(locations__in=selectors.locations_estimated()).distinct()
    elif show in ReviewState.values:
        offers = offers.filter(review_state=show)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        offers = offers.filter(Q(name__icontains=query) | Q(organisation__name__icontains=query))
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "offers/backoffice/list.html",
        {
            "page": page,
            "show": show,
            "query": query,
            "states": ReviewState.choices,
            "may_add": request.user.has_perm("offers.add_offer"),
        },
    )


@permission_required("offers.review_offers")
def review_queue(request: HttpRequest) -> HttpResponse:
    offers = selectors.offers_awaiting_review(request.user)[:200]
    return render(request, "offers/backoffice/queue.html", {"offers": offers})


def _forms(request: HttpRequest, organisation: Organisation, initial: dict[str, Any] | None):
    data = request.POST if request.method == "POST" else None
    initial = initial or {}
    form = OfferForm(data, organisation=organisation, initial=initial)
    locations = LocationFormSet(data, prefix="locations", initial=initial.get("locations"))
    schedules = ScheduleFormSet(data, prefix="schedules", initial=initial.get("schedules"))
    return form, locations, schedules


def _position_messages(request: HttpRequest, notes: list[services.PositionNote]) -> None:
    """Tell the editor which points were looked up from an address, and which were not."""
    for note in notes:
        if not note.source:
            messages.warning(
                request,
                _(
                    "%(place)s: The address could not be found – please set the point on "
                    "the map or enter latitude and longitude."
                )
                % {"place": note.label},
            )
        elif note.source in ESTIMATED:
            messages.warning(
                request,
                _("%(place)s: Position estimated from the postcode.") % {"place": note.label},
            )
        else:
            messages.info(
                request,
                _("%(place)s: Position found from the address (%(source)s).")
                % {"place": note.label, "source": Source(note.source).label},
            )


def _edit_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context["point_bounds"] = point_bounds()  # the map picker's extent (forms.point_bounds)
    return render(request, "offers/backoffice/edit.html", context, status=status)


@permission_required("offers.add_offer")
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_offers(request.user)
    chooser = OrganisationChoiceForm(request.GET or None, organisations=organisations)
    if not chooser.is_valid():
        if organisations.count() == 1 and "organisation" not in request.GET:
            return redirect(f"{request.path}?organisation={organisations.get().pk}")
        return render(request, "offers/backoffice/choose.html", {"chooser": chooser})
    organisation = chooser.cleaned_data["organisation"]
    form, locations, schedules = _forms(request, organisation, None)
    if request.method == "POST" and all(f.is_valid() for f in (form, locations, schedules)):
        data = snapshot_from_forms(form, locations, schedules)
        notes = services.locations_resolve_positions(offer=None, items=data["locations"])
        try:
            offer = services.offer_create(organisation=organisation, data=data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The offer was saved as a draft."))
            _position_messages(request, notes)
            return redirect("backoffice:offers:edit", pk=offer.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "locations": locations,
        "schedules": schedules,
        "offer": None,
    }
    return _edit_page(request, context, status=422 if request.method == "POST" else 200)


@permission_required("offers.change_offer", fn=_offer)
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    offer = obj
    pending = services.pending_revision(offer)
    initial = pending.data if pending else offer_snapshot(offer)
    form, locations, schedules = _forms(request, offer.organisation, initial)
    if request.method == "POST" and all(f.is_valid() for f in (form, locations, schedules)):
        data = snapshot_from_forms(form, locations, schedules)
        notes = services.locations_resolve_positions(offer=offer, items=data["locations"])
        try:
            outcome = services.offer_save(
                offer=offer, data=data, by=request.user, language=get_language()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _position_messages(request, notes)
            if outcome is services.SaveOutcome.PENDING_REVIEW:
                messages.success(
                    request,
                    _("Your changes were saved and will be published after review."),
                )
            else:
                messages.success(request, _("The offer was saved."))
            return redirect("backoffice:offers:edit", pk=offer.pk)
    context = {
        "organisation": offer.organisation,
        "offer": offer,
        "pending": pending,
        "form": form,
        "locations": locations,
        "schedules": schedules,
        "stale": selectors.is_stale(offer),
        "may_review": request.user.has_perm("offers.review_offer", offer),
    }
    return _edit_page(request, context, status=422 if request.method == "POST" else 200)


def _transition(request: HttpRequest, action: Any, success: str, **kwargs: Any) -> None:
    try:
        action(by=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)


@require_POST
@permission_required("offers.change_offer", fn=_offer)
def offer_submit(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    _transition(
        request,
        services.offer_submit,
        _("The offer was submitted for review."),
        offer=obj,
        language=get_language(),
    )
    return redirect("backoffice:offers:edit", pk=obj.pk)


def _refused(request: HttpRequest, exc: services.FourEyesRequired) -> HttpResponse:
    """403 with the reason, for a reviewer the four-eyes principle keeps from publishing."""
    return render(request, "errors/403.html", {"message": exc.message}, status=403)


@require_POST
@permission_required("offers.review_offer", fn=_offer)
def offer_publish(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    try:
        _transition(request, services.offer_publish, _("The offer is published."), offer=obj)
    except services.FourEyesRequired as exc:
        return _refused(request, exc)
    return redirect("backoffice:offers:review", pk=obj.pk)


@require_POST
@permission_required("offers.review_offer", fn=_offer)
def offer_return(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    form = ReviewNoteForm(request.POST, auto_id="return_%s")
    if not form.is_valid():
        return _review_page(request, obj, return_form=form, status=422)
    _transition(
        request,
        services.offer_return_to_draft,
        _("The offer was sent back to the editors as a draft."),
        offer=obj,
        note=form.cleaned_data["note"],
    )
    return redirect("backoffice:offers:review", pk=obj.pk)


@require_POST
@permission_required("offers.change_offer", fn=_offer)
def offer_verify(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    _transition(
        request,
        services.offer_verify,
        _("Thank you: the offer is confirmed as current."),
        offer=obj,
    )
    if request.POST.get("next") == "list":
        return redirect("backoffice:offers:list")
    return redirect("backoffice:offers:edit", pk=obj.pk)


@permission_required("offers.review_offer", fn=_offer)
def offer_review(request: HttpRequest, pk: Any) -> HttpResponse:
    return _review_page(request, _offer(request, pk=pk))


def _review_page(
    request: HttpRequest,
    offer: Offer,
    *,
    reject_form: ReviewNoteForm | None = None,
    return_form: ReviewNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The reviewer's page: a pending change field by field (published against proposed),
    otherwise the offer's content as residents would see it; the actions the user may take."""
    pending = services.pending_revision(offer)
    changes = [
        selectors.FieldChange(change.label, *selectors.text_diff(change.before, change.after))
        for change in (snapshot_diff(offer_snapshot(offer), pending.data) if pending else [])
    ]
    content = None if pending else selectors.offer_for_review(offer.pk)
    obstacle = four_eyes.obstacle(request.user, offer)
    context = {
        "offer": offer,
        "pending": pending,
        "changes": changes,
        "content": content,
        "hours": hours_of(content) if content else None,
        "contacts": selectors.public_contacts(content) if content else [],
        "duplicates": selectors.possible_duplicates(offer),
        "four_eyes": four_eyes.explain(obstacle) if obstacle else "",
        "reject_form": reject_form or ReviewNoteForm(auto_id="reject_%s"),
        "return_form": return_form or ReviewNoteForm(auto_id="return_%s"),
    }
    return render(request, "offers/backoffice/review.html", context, status=status)


def _pending_or_404(offer: Offer) -> OfferRevision:
    pending = services.pending_revision(offer)
    if pending is None:
        raise Http404(_("There is no change awaiting review."))
    return pending


@require_POST
@permission_required("offers.review_offer", fn=_offer)
def revision_approve(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    revision = _pending_or_404(obj)
    try:
        _transition(
            request, services.revision_approve, _("The change is published."), revision=revision
        )
    except services.FourEyesRequired as exc:
        return _refused(request, exc)
    return redirect("backoffice:offers:review", pk=obj.pk)


@require_POST
@permission_required("offers.review_offer", fn=_offer)
def revision_reject(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    revision = _pending_or_404(obj)
    form = ReviewNoteForm(request.POST, auto_id="reject_%s")
    if not form.is_valid():
        return _review_page(request, obj, reject_form=form, status=422)
    _transition(
        request,
        services.revision_reject,
        _("The change was rejected."),
        revision=revision,
        note=form.cleaned_data["note"],
    )
    return redirect("backoffice:offers:review", pk=obj.pk)


@permission_required("offers.change_offer", fn=_offer)
def offer_history(request: HttpRequest, pk: Any) -> HttpResponse:
    obj = _offer(request, pk=pk)
    revisions = obj.revisions.select_related("submitted_by", "reviewed_by")[:50]
    return render(
        request,
        "offers/backoffice/history.html",
        {"offer": obj, "entries": selectors.offer_history(obj), "revisions": revisions},
    )
