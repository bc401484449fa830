"""Back office: meetings, host rotation, agenda, invitations, attendance, minutes, tasks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.core import recurrence
from quartier.core.forms import add_service_errors
from quartier.core.history import related_entries, render_history
from quartier.core.permissions import permission_required
from quartier.core.registry import render_sections
from quartier.networks import hooks, selectors, services
from quartier.networks.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaProposalForm,
    CancelForm,
    DecisionForm,
    HostAnswerForm,
    InviteContactForm,
    MeetingForm,
    MinutesApproveForm,
    MinutesForm,
    SeriesForm,
)
from quartier.networks.models import (
    Meeting,
    Membership,
    Minutes,
)
from quartier.networks.views.common import (
    action_item_by_pk,
    agenda_item_by_pk,
    body_by_slug,
    host_turn_by_pk,
    meeting_by_pk,
    report_error,
    report_form_errors,
)

# The meeting page holds several forms: their prefixes keep field names and ids apart.
EDIT_PREFIX = "meeting"
PROPOSAL_PREFIX = "proposal"
DECISION_PREFIX = "decision"
TASK_PREFIX = "task"


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("backoffice:networks:meeting", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
@permission_required("networks.change_body", fn=body_by_slug)
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    obj = body_by_slug(request, slug=slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(body=obj, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been planned."))
            return _back(meeting)
    return render(
        request,
        "networks/manage/meeting_form.html",
        {"body": obj, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("networks.change_body", fn=body_by_slug)
def series_create(request: HttpRequest, slug: str) -> HttpResponse:
    obj = body_by_slug(request, slug=slug)
    form = SeriesForm(
        request.POST or None,
        initial={"title": _("Meeting of %(body)s") % {"body": obj.short_name or obj.name}},
    )
    if request.method == "POST" and form.is_valid():
        series, created, skipped = services.series_create(body=obj, **form.cleaned_data)
        messages.success(
            request,
            _("%(n)d meetings have been planned (%(rule)s).")
            % {"n": len(created), "rule": recurrence.describe(series.rrule)},
        )
        for start in skipped:
            messages.warning(
                request,
                _("Left out %(when)s: the body already meets then.")
                % {"when": timezone.localtime(start).strftime("%d.%m.%Y %H:%M")},
            )
        return redirect("backoffice:networks:body", slug=obj.slug)
    return render(
        request,
        "networks/manage/series_form.html",
        {"body": obj, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required("networks.take_part_body", fn=meeting_by_pk)
def meeting_manage(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_by_pk(request, pk=pk)
    context = selectors.meeting_page(meeting, request.user)
    minutes = context["minutes"]
    context.update(
        # Prefixes: several forms on one page, each field id once (id_meeting-title ...).
        edit_form=MeetingForm(
            prefix=EDIT_PREFIX,
            initial={
                "title": meeting.title,
                "kind": meeting.kind,
                "start": timezone.localtime(meeting.start),
                "end": timezone.localtime(meeting.end),
                "is_public": meeting.is_public,
                "description": meeting.description,
            },
        ),
        proposal_form=AgendaProposalForm(
            memberships=context["memberships"], prefix=PROPOSAL_PREFIX
        ),
        minutes_form=MinutesForm(
            initial={
                "text": minutes.text if minutes else "",
                "visibility": minutes.visibility if minutes else meeting.body.minutes_visibility,
            }
        ),
        decision_form=DecisionForm(prefix=DECISION_PREFIX),
        action_form=ActionItemForm(memberships=context["memberships"], prefix=TASK_PREFIX),
        cancel_form=CancelForm(),
        host_form=HostAnswerForm(),
        status_form=ActionStatusForm(),
        gaps=selectors.invitation_gaps(meeting)
        if context["can_manage"] and meeting.status == "scheduled"
        else [],
    )
    # Blocks of later apps in the minutes editor, shown once the meeting has begun.
    context["minutes_sections"] = (
        render_sections(hooks.minutes_sections, request, meeting)
        if meeting.start <= context["now"] and not meeting.is_cancelled
        else []
    )
    context["rotation_needed"], context["rotation_steps"] = (
        services.rotation_plan(meeting)
        if context["can_manage"] and meeting.status == "scheduled"
        else (0, [])
    )
    return render(request, "networks/manage/meeting.html", context)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    form = MeetingForm(request.POST, prefix=EDIT_PREFIX)
    if form.is_valid():
        try:
            services.meeting_update(meeting=obj, **form.cleaned_data)
            messages.success(request, _("Saved. Invited people get the change by e-mail."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return _back(obj)


@require_GET
@permission_required("networks.change_body", fn=meeting_by_pk)
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes of the meeting and of its minutes, for those who manage the body."""
    meeting = meeting_by_pk(request, pk=pk)
    minutes = related_entries(
        Minutes.history.filter(meeting_id=meeting.pk), name=lambda record: _("Minutes")
    )
    return render_history(
        request,
        meeting,
        back_url=reverse("backoffice:networks:meeting", kwargs={"pk": meeting.pk}),
        extra_entries=minutes,
    )


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.meeting_cancel(meeting=obj, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("The meeting has been cancelled; invited people are told."))
    except ValidationError as exc:
        report_error(request, exc)
    return _back(obj)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def host_propose(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    turn = services.meeting_propose_host(meeting=obj)
    if turn is None:
        messages.warning(
            request,
            _(
                "No member with a large enough room is left to ask. Plan the place by hand; "
                "the rotation order below says why each member was skipped."
            ),
        )
        return _back(obj)
    _needed, steps = services.rotation_plan(obj)
    step = next((s for s in steps if s.candidate.membership_id == turn.membership_id), None)
    last = step.candidate.last_hosted if step else None
    if last is None:
        why = _("it has not hosted a meeting of the body yet")
    else:
        why = _("it hosted least recently (%(date)s)") % {
            "date": formats.date_format(timezone.localtime(last), "j.n.Y")
        }
    messages.success(
        request,
        _("%(org)s has been asked to host: %(why)s.")
        % {"org": turn.membership.organisation, "why": why},
    )
    return _back(obj)


@require_POST
@permission_required("networks.answer_host_turn", fn=host_turn_by_pk)
def host_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The asked member (or the coordination for them) accepts or passes."""
    turn = host_turn_by_pk(request, pk=pk)
    form = HostAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.host_turn_answer(turn=turn, **form.cleaned_data)
            messages.success(request, _("Thank you, your answer has been recorded."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        messages.error(request, _("Choose whether you host."))
    return _back(turn.meeting)


@require_POST
@permission_required("networks.take_part_body", fn=meeting_by_pk)
def agenda_propose(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    memberships = selectors.agenda_memberships(obj, request.user)
    form = AgendaProposalForm(
        request.POST, request.FILES, memberships=memberships, prefix=PROPOSAL_PREFIX
    )
    if form.is_valid():
        try:
            services.agenda_item_propose(
                meeting=obj,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                membership=form.cleaned_data["membership"],
                user=request.user,
                file=form.cleaned_data["file"],
                by_coordinator=request.user.has_perm("networks.propose_for_any_member", obj),
            )
            messages.success(request, _("Thank you, the item has been proposed."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return _back(obj)


@require_POST
@permission_required("networks.change_agenda_item", fn=agenda_item_by_pk)
def agenda_item_action(request: HttpRequest, pk: int) -> HttpResponse:
    item = agenda_item_by_pk(request, pk=pk)
    action = request.POST.get("action")
    if action in ("accept", "reject"):
        services.agenda_item_decide(item=item, accept=action == "accept")
    elif action in ("up", "down"):
        services.agenda_item_move(item=item, up=action == "up")
    else:
        messages.error(request, _("Unknown action."))
    return _back(item.meeting)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def agenda_publish(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    try:
        services.agenda_publish(meeting=obj)
        messages.success(request, _("The agenda has been published."))
    except ValidationError as exc:
        report_error(request, exc)
    return _back(obj)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    try:
        count = services.meeting_send_invitations(meeting=obj)
        messages.success(request, _("Invitations are going out to %(n)d people.") % {"n": count})
    except ValidationError as exc:
        report_error(request, exc)
        return _back(obj)
    gaps = selectors.invitation_gaps(obj)
    if gaps:
        messages.warning(
            request,
            _("Not reached: %(list)s. See “Not reached” below.")
            % {"list": "; ".join(_gap_text(gap) for gap in gaps)},
        )
    return _back(obj)


def _gap_text(gap: selectors.Unreached) -> str:
    if gap.reason == "no_email":
        return _("%(person)s of %(org)s (no e-mail address)") % {
            "person": gap.person.full_name if gap.person else "",
            "org": gap.membership.organisation.name,
        }
    return _("%(org)s (no delegated person)") % {"org": gap.membership.organisation.name}


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def invite_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a member's general address when none of its people can be invited."""
    obj = meeting_by_pk(request, pk=pk)
    form = InviteContactForm(request.POST, meeting=obj)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            services.meeting_invite_contact(meeting=obj, membership=membership)
            messages.success(
                request,
                _("The invitation is going out to %(org)s’s general address %(email)s.")
                % {"org": membership.organisation.name, "email": membership.organisation.email},
            )
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return _back(obj)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
    try:
        services.attendance_record(meeting=obj, present_invitation_ids=present)
        messages.success(request, _("Attendance has been recorded."))
    except ValidationError as exc:
        report_error(request, exc)
    return _back(obj)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_save(meeting=obj, user=request.user, **form.cleaned_data)
            messages.success(request, _("The draft minutes have been saved."))
        except ValidationError as exc:
            report_error(request, exc)
    return _back(obj)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    minutes = get_object_or_404(Minutes, meeting=obj)
    form = MinutesApproveForm(request.POST, meetings=selectors.held_later_meetings(obj))
    if not form.is_valid():
        report_form_errors(request, form)
        return _back(obj)
    try:
        services.minutes_approve(
            minutes=minutes, at_meeting=form.cleaned_data["at_meeting"], user=request.user
        )
        messages.success(request, _("The approval has been recorded."))
    except ValidationError as exc:
        report_error(request, exc)
    return _back(obj)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    form = DecisionForm(request.POST, prefix=DECISION_PREFIX)
    minutes = Minutes.objects.filter(meeting=obj).first()
    if minutes is None:
        messages.error(request, _("Save the draft minutes first."))
    elif form.is_valid():
        try:
            services.decision_add(minutes=minutes, text=form.cleaned_data["text"])
        except ValidationError as exc:
            report_error(request, exc)
    return _back(obj)


@require_POST
@permission_required("networks.change_body", fn=meeting_by_pk)
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    obj = meeting_by_pk(request, pk=pk)
    form = ActionItemForm(
        request.POST, memberships=Membership.objects.filter(body=obj.body), prefix=TASK_PREFIX
    )
    if form.is_valid():
        try:
            services.action_item_add(meeting=obj, **form.cleaned_data)
            messages.success(request, _("The task has been recorded."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return _back(obj)


@require_POST
@permission_required("networks.set_action_item_status", fn=action_item_by_pk)
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = action_item_by_pk(request, pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(item=item, status=form.cleaned_data["status"])
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose a status."))
    if item.meeting_id:
        return redirect("backoffice:networks:meeting", pk=item.meeting_id)
    return redirect("backoffice:networks:body", slug=item.body.slug)
