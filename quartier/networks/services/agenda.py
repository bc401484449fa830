"""Writes on a meeting's agenda: proposals before the deadline, ordering, publishing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from quartier.networks.models import (
    ActionItem,
    AgendaItem,
    Document,
    DocumentKind,
    Meeting,
    MeetingStatus,
    Membership,
    Visibility,
)
from quartier.networks.services.announce import announce_change
from quartier.networks.services.documents import document_add


def _next_position(meeting: Meeting) -> int:
    highest = meeting.agenda_items.aggregate(top=Max("position"))["top"]
    return (highest or 0) + 1


@transaction.atomic
def agenda_item_propose(
    *,
    meeting: Meeting,
    title: str,
    description: str = "",
    membership: Membership | None,
    user,
    file: UploadedFile | None = None,
    by_coordinator: bool = False,
) -> AgendaItem:
    """A member proposes an item; after the deadline only the coordination may add items."""
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("The agenda of this meeting is closed."))
    deadline = meeting.agenda_deadline
    if not by_coordinator and deadline and timezone.now() > deadline:
        when = formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")
        raise ValidationError(
            _(
                "Proposals for this agenda closed on %(when)s. Please ask the coordination "
                "whether the item can still be added, or propose it for the next meeting."
            )
            % {"when": when}
        )
    if not title.strip():
        raise ValidationError({"title": _("Give the item a title.")})
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=title.strip(),
        description=description.strip(),
        proposed_by=membership,
        proposed_by_user=user,
        position=_next_position(meeting),
        status=AgendaItem.Status.ACCEPTED if by_coordinator else AgendaItem.Status.PROPOSED,
    )
    if file is not None:
        document_add(
            body=meeting.body,
            title=title.strip(),
            kind=DocumentKind.AGENDA_DOCUMENT,
            file=file,
            user=user,
            meeting=meeting,
            agenda_item=item,
            visibility=Visibility.MEMBERS,
        )
    return item


@transaction.atomic
def agenda_item_decide(*, item: AgendaItem, accept: bool) -> AgendaItem:
    item.status = AgendaItem.Status.ACCEPTED if accept else AgendaItem.Status.REJECTED
    item.save(update_fields=["status", "updated_at"])
    return item


@transaction.atomic
def agenda_order(*, meeting: Meeting, item_ids: list[int]) -> None:
    """Put the given items first, in this order; the rest keep their order behind them."""
    items = {item.pk: item for item in meeting.agenda_items.all()}
    unknown = [pk for pk in item_ids if pk not in items]
    if unknown:
        raise ValidationError(_("Some items do not belong to this meeting."))
    rest = [pk for pk in sorted(items, key=lambda pk: items[pk].position) if pk not in item_ids]
    for position, pk in enumerate([*item_ids, *rest], start=1):
        if items[pk].position != position:
            items[pk].position = position
            items[pk].save(update_fields=["position", "updated_at"])


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    ordered = list(item.meeting.agenda_items.order_by("position", "created_at"))
    index = ordered.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        agenda_order(meeting=item.meeting, item_ids=[entry.pk for entry in ordered])


@transaction.atomic
def agenda_publish(*, meeting: Meeting) -> Meeting:
    """Publish the agenda: accepted items in their order; invitees get an updated invitation."""
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("Only the agenda of a coming meeting can be published."))
    agenda_carry_over(meeting=meeting)
    meeting.agenda_published_at = timezone.now()
    announce_change(meeting, ["agenda_published_at"])
    return meeting


@transaction.atomic
def agenda_carry_over(*, meeting: Meeting) -> list[AgendaItem]:
    """Put the body's open action items on this meeting's agenda (once each)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return []
    present = set(
        meeting.agenda_items.filter(action_item__isnull=False).values_list(
            "action_item_id", flat=True
        )
    )
    open_items = (
        ActionItem.objects.open()
        .filter(body_id=meeting.body_id, created_at__lt=meeting.start)
        .exclude(meeting=meeting)
        .exclude(pk__in=present)
        .select_related("owner__organisation")
    )
    created = []
    position = _next_position(meeting)
    for action in open_items:
        owner = f" ({action.owner.organisation})" if action.owner_id else ""
        created.append(
            AgendaItem(
                meeting=meeting,
                title=_("Open task: %(title)s") % {"title": action.title} + owner,
                status=AgendaItem.Status.ACCEPTED,
                action_item=action,
                position=position,
                is_public=False,
            )
        )
        position += 1
    AgendaItem.objects.bulk_create(created)
    return created


def documents_of(meeting: Meeting):
    return Document.objects.filter(meeting=meeting).prefetch_related("versions")
