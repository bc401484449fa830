"""Reads of the networks app: lists with bounded query counts, overview and yearly report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from quartier.directory.models import Person
from quartier.directory.selectors import is_public_contact
from quartier.networks.models import (
    ActionItem,
    Body,
    ContactInvitation,
    Delegate,
    Document,
    DocumentKind,
    HostTurn,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Minutes,
    OrganisationRequest,
)
from quartier.networks.models.bodies import OrganisationRequestQuerySet
from quartier.networks.rules import (
    acting_organisation_ids,
    coordinated_body_ids,
    member_body_ids,
    planned_body_ids,
)

STALE_AFTER = datetime.timedelta(days=183)


def bodies_with_dates(queryset: QuerySet[Body] | None = None) -> QuerySet[Body]:
    """Bodies with member count, last held and next scheduled meeting: one query."""
    now = timezone.now()
    today = timezone.localdate()
    current = Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    return (
        (queryset if queryset is not None else Body.objects.all())
        .select_related("kind", "coordinating_organisation")
        .annotate(
            member_count=Count("memberships", filter=current, distinct=True),
            last_meeting=Max(
                "meetings__start",
                filter=Q(meetings__start__lt=now) & ~Q(meetings__status=MeetingStatus.CANCELLED),
            ),
            next_meeting=Min(
                "meetings__start",
                filter=Q(meetings__start__gte=now, meetings__status=MeetingStatus.SCHEDULED),
            ),
        )
    )


def bodies_for_backoffice(user) -> QuerySet[Body]:
    if user.is_superuser:
        return bodies_with_dates()
    ids = coordinated_body_ids(user) | planned_body_ids(user) | member_body_ids(user)
    return bodies_with_dates(Body.objects.filter(pk__in=ids))


def public_body_contacts(body: Body) -> QuerySet[Person]:
    """The body's contact persons who are public contacts (a current public position at some
    organisation: the rule of quartier.directory.selectors); a network spans organisations."""
    return body.contact_persons.filter(is_public_contact(person=OuterRef("pk")))


def public_body_page(body: Body) -> dict:
    """What the public page shows; a fixed number of queries whatever the size of the body."""
    today = timezone.localdate()
    members = (
        Membership.objects.current(today)
        .filter(body=body)
        .exclude(role="guest")
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )
    next_meeting = (
        Meeting.objects.public()
        .filter(body=body, status=MeetingStatus.SCHEDULED, start__gte=timezone.now())
        .order_by("start")
        .first()
    )
    return {
        "members": members,
        "contacts": public_body_contacts(body),
        "topics": body.topics.all(),
        "areas": body.areas.all(),
        "next_meeting": next_meeting,
        "documents": Document.objects.public().filter(body=body).prefetch_related("versions"),
        "past_meetings": Meeting.objects.public()
        .filter(body=body, start__lt=timezone.now())
        .order_by("-start")[:10],
    }


def meeting_page(meeting: Meeting, user) -> dict:
    """What the back-office page of a meeting shows (the forms aside): a fixed number of
    queries whatever the number of agenda items, host turns, invitations and tasks."""
    body = meeting.body
    minutes = Minutes.objects.filter(meeting=meeting).prefetch_related("decisions").first()
    return {
        "meeting": meeting,
        "body": body,
        "can_manage": user.has_perm("networks.change_body", body),
        "agenda": meeting.agenda_items.select_related("proposed_by__organisation")
        .prefetch_related("documents__versions")
        .order_by("position"),
        "turns": meeting.host_turns.select_related("membership__organisation"),
        "my_organisations": acting_organisation_ids(user),
        "invitations": meeting.invitations.select_related(
            "delegate__person", "delegate__membership__organisation"
        ),
        "minutes": minutes,
        "action_items": meeting.action_items.select_related("owner__organisation"),
        "later_meetings": held_later_meetings(meeting)[:5],
        "memberships": Membership.objects.current()
        .filter(body=body)
        .select_related("organisation"),
        "now": timezone.now(),
    }


@dataclass
class Unreached:
    """A member (or one of its delegates) an invitation does not reach, and why.

    `reason`: "no_delegate" (the member has delegated nobody), "no_email" (the delegate
    `person` has no e-mail address). `member_unreached` is True when nobody of the member gets
    the invitation, which is when its general address may be invited instead.
    """

    membership: Membership
    reason: str
    person: Person | None = None
    member_unreached: bool = False
    contact_invited: bool = False

    @property
    def contact_email(self) -> str:
        return self.membership.organisation.email

    @property
    def can_invite_contact(self) -> bool:
        return self.member_unreached and bool(self.contact_email) and not self.contact_invited


def invitation_gaps(meeting: Meeting) -> list[Unreached]:
    """Who an invitation to the meeting does not reach, member by member: three queries.

    Invitations go to the current delegates (tasks in mail.py skip those without an e-mail
    address); a member without any reachable delegate is listed with the offer to invite its
    general address (`ContactInvitation`).
    """
    on = timezone.localdate(meeting.start)
    memberships = list(
        Membership.objects.current(on)
        .filter(body_id=meeting.body_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    delegates: dict[int, list[Delegate]] = {}
    for delegate in (
        Delegate.objects.current(on)
        .filter(membership__in=[m.pk for m in memberships])
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    ):
        delegates.setdefault(delegate.membership_id, []).append(delegate)
    invited = set(
        ContactInvitation.objects.filter(meeting=meeting).values_list("membership_id", flat=True)
    )
    gaps = []
    for membership in memberships:
        own = delegates.get(membership.pk, [])
        unreached = not any(d.person.email for d in own)
        if not own:
            gaps.append(
                Unreached(
                    membership,
                    "no_delegate",
                    member_unreached=True,
                    contact_invited=membership.pk in invited,
                )
            )
            continue
        # The offer of the general address goes with the member's first line only.
        for position, delegate in enumerate(d for d in own if not d.person.email):
            gaps.append(
                Unreached(
                    membership,
                    "no_email",
                    person=delegate.person,
                    member_unreached=unreached and position == 0,
                    contact_invited=membership.pk in invited,
                )
            )
    return gaps


def organisation_people(organisation_id: int) -> QuerySet:
    """The people with a current position at an organisation: who may be its delegate."""
    from quartier.directory.models import Person

    return (
        Person.objects.filter(
            positions__organisation_id=organisation_id, positions__end_date__isnull=True
        )
        .distinct()
        .order_by("family_name", "given_name")
    )


def delegate_candidates(organisation_ids) -> dict[int, list]:
    """For each member organisation, its people (current positions): one query."""
    from quartier.directory.models import Position

    candidates: dict[int, list] = {}
    positions = (
        Position.objects.current()
        .filter(organisation_id__in=list(organisation_ids))
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )
    for position in positions:
        people = candidates.setdefault(position.organisation_id, [])
        if position.person not in people:
            people.append(position.person)
    return candidates


def held_later_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """The meetings that may approve a meeting's minutes: later ones of the same body that
    have taken place (started, not cancelled)."""
    return (
        Meeting.objects.filter(
            body_id=meeting.body_id, start__gt=meeting.start, start__lte=timezone.now()
        )
        .not_cancelled()
        .order_by("start")
    )


def agenda_memberships(meeting: Meeting, user) -> QuerySet[Membership]:
    """The memberships a user may propose an agenda item for: every current one for those who
    may propose for any member, otherwise those they speak for or are a delegate of."""
    memberships = Membership.objects.current().filter(body=meeting.body)
    if not user.has_perm("networks.propose_for_any_member", meeting):
        memberships = memberships.filter(
            organisation_id__in=acting_organisation_ids(user)
        ) | memberships.filter(delegates__person__user=user)
    return memberships.distinct()


def meetings_list(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """A meeting list's rows with what each row shows (body, host): one query."""
    return queryset.select_related("body", "host__organisation").only(
        "pk",
        "title",
        "start",
        "end",
        "status",
        "is_public",
        "kind",
        "location_name",
        "location_city",
        "body__name",
        "body__slug",
        "host__organisation__name",
    )


def rotation_history(body: Body) -> QuerySet[HostTurn]:
    return (
        HostTurn.objects.filter(meeting__body=body)
        .select_related("meeting", "membership__organisation")
        .order_by("-meeting__start", "-created_at")
    )


def feed_meetings(queryset: QuerySet[Meeting], limit: int = 1000) -> QuerySet[Meeting]:
    """Meetings for an iCal feed: everything the events need in one query."""
    since = timezone.now() - datetime.timedelta(days=730)
    return queryset.filter(start__gte=since).select_related("body").order_by("start")[:limit]


def person_meetings(person) -> QuerySet[Meeting]:
    """A person's meetings: those they are invited to, and those of the bodies they delegate to."""
    body_ids = Delegate.objects.current().filter(person=person).values("membership__body_id")
    return Meeting.objects.filter(
        Q(invitations__delegate__person=person) | Q(body_id__in=body_ids)
    ).distinct()


def organisation_meetings(organisation) -> QuerySet[Meeting]:
    body_ids = Membership.objects.current().filter(organisation=organisation).values("body_id")
    return Meeting.objects.public().filter(body_id__in=body_ids)


@dataclass
class OverviewRow:
    body: Body
    members: list = field(default_factory=list)
    open_items: int = 0
    overdue_items: int = 0
    hosts: list = field(default_factory=list)
    stale: bool = False


def planner_overview(body_ids: set[int] | None) -> list[OverviewRow]:
    """Every body in scope with members, last/next meeting, hosts, open and overdue items.

    Four queries for any number of bodies (bodies, memberships, action item counts, hosts).
    """
    today = timezone.localdate()
    bodies = bodies_with_dates(
        Body.objects.all() if body_ids is None else Body.objects.filter(pk__in=body_ids)
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current(today).select_related("organisation"),
            to_attr="current_members",
        )
    )
    counts = {
        row["body_id"]: row
        for row in ActionItem.objects.open()
        .filter(body__in=[b.pk for b in bodies])
        .values("body_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    }
    hosts: dict[int, list] = {}
    for meeting in (
        Meeting.objects.filter(host__isnull=False, body__in=[b.pk for b in bodies])
        .not_cancelled()
        .select_related("host__organisation")
        .order_by("-start")
    ):
        if len(hosts.setdefault(meeting.body_id, [])) < 4:
            hosts[meeting.body_id].append(meeting)
    threshold = timezone.now() - STALE_AFTER
    rows = []
    for body in bodies:
        count = counts.get(body.pk, {})
        rows.append(
            OverviewRow(
                body=body,
                members=body.current_members,
                open_items=count.get("open", 0),
                overdue_items=count.get("overdue", 0),
                hosts=hosts.get(body.pk, []),
                stale=body.last_meeting is None or body.last_meeting < threshold,
            )
        )
    return rows


@dataclass
class YearReport:
    year: int
    rows: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def year_report(body_ids: set[int] | None, year: int) -> YearReport:
    """Per body: meetings held, members joined and left, joint events and statements, topics."""
    start = datetime.date(year, 1, 1)
    end = datetime.date(year, 12, 31)
    bodies = Body.objects.select_related("kind").prefetch_related("topics").order_by("name")
    if body_ids is not None:
        bodies = bodies.filter(pk__in=body_ids)
    held = (
        Q(meetings__start__year=year)
        & ~Q(meetings__status=MeetingStatus.CANCELLED)
        & Q(meetings__start__lt=timezone.now())
    )
    bodies = bodies.annotate(
        meetings_held=Count(
            "meetings", filter=held & Q(meetings__kind=MeetingKind.MEETING), distinct=True
        ),
        joint_events=Count(
            "meetings", filter=held & Q(meetings__kind=MeetingKind.JOINT_EVENT), distinct=True
        ),
    )
    joined = _count_by_body(Membership.objects.filter(start_date__range=(start, end)))
    left = _count_by_body(Membership.objects.filter(end_date__range=(start, end)))
    statements = {}
    for document in Document.objects.filter(kind=DocumentKind.STATEMENT, date__range=(start, end)):
        statements.setdefault(document.body_id, []).append(document)
    rows = []
    totals = dict.fromkeys(("meetings", "events", "joined", "left", "statements"), 0)
    for body in bodies:
        row = {
            "body": body,
            "meetings": body.meetings_held,
            "events": body.joint_events,
            "joined": joined.get(body.pk, 0),
            "left": left.get(body.pk, 0),
            "statements": statements.get(body.pk, []),
            "topics": list(body.topics.all()),
        }
        rows.append(row)
        for key in ("meetings", "events", "joined", "left"):
            totals[key] += row[key]
        totals["statements"] += len(row["statements"])
    return YearReport(year=year, rows=rows, totals=totals)


def _count_by_body(queryset) -> dict[int, int]:
    return dict(queryset.values("body_id").annotate(n=Count("pk")).values_list("body_id", "n"))


def organisation_requests_for(user) -> OrganisationRequestQuerySet:
    """Requests to add an organisation that `user` decides: every one for platform admins,
    else those naming a body the user plans (by area) or coordinates."""
    requests: OrganisationRequestQuerySet = OrganisationRequest.objects.select_related("body")
    if user.is_superuser:
        return requests
    return requests.filter(body_id__in=planned_body_ids(user) | coordinated_body_ids(user))
