"""What OParl may show: public objects only, with the prefetches their serializers need.

Every queryset here applies the networks app's `public()` rules and nothing else decides
visibility: a members-only body, meeting, agenda item, document or minutes never reaches a
serializer. People are shown only where they already are public (see `public_people`).

Each queryset is annotated with `oparl_modified`: the latest change of the object or of what
OParl embeds in it (agenda items in a meeting, file versions in a paper, memberships in a
person), because the specification wants the parent's `modified` to move when an embedded
object changes, and `modified_since` filters on it.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from quartier.areas.models import Area
from quartier.directory.models import Organisation, Person
from quartier.directory.selectors import is_public_contact
from quartier.networks.models import (
    AgendaItem,
    Body,
    Delegate,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
)
from quartier.statements.models import Signature, Statement


def _latest(queryset: QuerySet, field: str = "updated_at") -> Subquery:
    """The latest `field` among the related rows, as a correlated subquery (NULL if none).

    A subquery rather than a JOIN with MAX: the database evaluates it for the rows of one page
    only, and `count()` leaves it out, so a list of 5,000 meetings costs what a page costs.
    """
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _modified(*latest: Subquery) -> Greatest:
    # Coalesce each part: SQLite's max() is NULL as soon as one argument is NULL.
    return Greatest("updated_at", *(Coalesce(part, "updated_at") for part in latest))


def public_gremien() -> QuerySet[Body]:
    return Body.objects.public()


def oparl_bodies() -> QuerySet[Area]:
    """Areas that host at least one public network: each is an OParl Body."""
    hosting = Body.objects.public().filter(areas=OuterRef("pk"))
    return (
        Area.objects.public()
        .filter(Exists(hosting))
        .select_related("kind")
        .annotate(oparl_modified=F("updated_at"))
    )


def _in_area(area: Area | None, path: str) -> Q:
    return Q(**{path: area.pk}) if area is not None else Q()


def organizations(area: Area | None = None) -> QuerySet[Body]:
    queryset = public_gremien().filter(_in_area(area, "areas")).select_related("kind")
    return queryset.annotate(oparl_modified=F("updated_at")).prefetch_related(
        "topics",
        Prefetch("memberships", queryset=_membership_rows(), to_attr="oparl_memberships"),
    )


def _membership_rows():
    from quartier.networks.models import Membership

    return Membership.objects.prefetch_related(
        Prefetch("delegates", queryset=public_delegations(), to_attr="oparl_delegations")
    ).only("pk", "body_id")


def public_delegations() -> QuerySet[Delegate]:
    """Current delegates of public bodies who are a public contact of the delegating member.

    A delegate's name is published only where the person already agreed to be a public
    contact person of that organisation (directory Position.is_public), so sending someone to
    a network never publishes them by itself.
    """
    return (
        Delegate.objects.current()
        .filter(membership__body__is_public=True)
        .filter(
            is_public_contact(
                person=OuterRef("person_id"), organisation=OuterRef("membership__organisation_id")
            )
        )
        .select_related("membership")
    )


def memberships(area: Area | None = None) -> QuerySet[Delegate]:
    queryset = public_delegations().filter(_in_area(area, "membership__body__areas"))
    return queryset.annotate(oparl_modified=Greatest("updated_at", "membership__updated_at"))


def public_people(area: Area | None = None) -> QuerySet[Person]:
    """Contact persons of public bodies who are public contacts (the rule of
    quartier.directory.selectors, as on the body's page) and the public delegates (above)."""
    contacts = Body.objects.public().filter(contact_persons=OuterRef("pk"))
    delegations = public_delegations().filter(person=OuterRef("pk"))
    if area is not None:
        contacts = contacts.filter(areas=area)
        delegations = delegations.filter(membership__body__areas=area)
    return (
        Person.objects.filter(
            Q(Exists(contacts), is_public_contact(person=OuterRef("pk"))) | Q(Exists(delegations))
        )
        .annotate(
            oparl_modified=_modified(
                _latest(
                    Delegate.objects.filter(person=OuterRef("pk"), membership__body__is_public=True)
                )
            )
        )
        .prefetch_related(
            Prefetch("body_delegations", queryset=public_delegations(), to_attr="oparl_delegations")
        )
    )


def public_agenda_items() -> QuerySet[AgendaItem]:
    """Accepted, public items of public meetings whose agenda has been published."""
    return AgendaItem.objects.filter(
        is_public=True,
        status=AgendaItem.Status.ACCEPTED,
        meeting__is_public=True,
        meeting__body__is_public=True,
        meeting__agenda_published_at__isnull=False,
    )


def _public_minutes() -> QuerySet[Minutes]:
    return Minutes.objects.public().prefetch_related("decisions")


def _public_documents() -> QuerySet[Document]:
    return Document.objects.public().prefetch_related("versions")


def meetings(area: Area | None = None, body: Body | None = None) -> QuerySet[Meeting]:
    queryset = Meeting.objects.public().filter(_in_area(area, "body__areas"))
    if body is not None:
        queryset = queryset.filter(body=body)
    items = (
        public_agenda_items()
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("documents", queryset=_public_documents(), to_attr="oparl_documents")
        )
    )
    # Only changes to what the meeting shows move its `modified` (no signal from hidden rows).
    shown_items = AgendaItem.objects.filter(
        meeting=OuterRef("pk"), is_public=True, status=AgendaItem.Status.ACCEPTED
    )
    shown_minutes = Minutes.objects.filter(
        meeting=OuterRef("pk"), visibility="public", status=Minutes.Status.APPROVED
    )
    return queryset.annotate(
        oparl_modified=_modified(_latest(shown_items), _latest(shown_minutes))
    ).prefetch_related(
        Prefetch("agenda_items", queryset=items, to_attr="oparl_items"),
        Prefetch("minutes", queryset=_public_minutes()),
        Prefetch("documents", queryset=_public_documents(), to_attr="oparl_documents"),
    )


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes if they are public (prefetched by `meetings()`)."""
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return None
    return minutes if minutes.is_public else None


def agenda_items(area: Area | None = None) -> QuerySet[AgendaItem]:
    queryset = public_agenda_items().filter(_in_area(area, "meeting__body__areas"))
    return (
        queryset.select_related("meeting")
        .annotate(oparl_modified=F("updated_at"))
        .prefetch_related(
            Prefetch("documents", queryset=_public_documents(), to_attr="oparl_documents"),
            Prefetch("decisions", to_attr="oparl_decisions"),
            Prefetch("meeting__minutes", queryset=_public_minutes()),
            # The item's `order` is its place among the meeting's public items.
            Prefetch(
                "meeting__agenda_items",
                queryset=public_agenda_items().order_by("position", "pk").only("pk", "meeting"),
                to_attr="oparl_items",
            ),
        )
    )


def _valid_signatures() -> QuerySet[Signature]:
    return Signature.objects.valid().order_by("signed_on", "organisation__name", "pk")


def papers(area: Area | None = None) -> QuerySet[Document]:
    queryset = Document.objects.public().filter(_in_area(area, "body__areas"))
    # A published joint statement carries its signers (statements app) as originators.
    statements = Statement.objects.published().prefetch_related(
        Prefetch("signatures", queryset=_valid_signatures(), to_attr="oparl_signatures")
    )
    return queryset.annotate(
        oparl_modified=_modified(
            _latest(DocumentVersion.objects.filter(document=OuterRef("pk")), "created_at")
        )
    ).prefetch_related(
        "versions",
        Prefetch("meeting", queryset=Meeting.objects.public()),
        Prefetch("agenda_item", queryset=public_agenda_items()),
        Prefetch("statement", queryset=statements),
    )


def signatories(area: Area | None = None) -> QuerySet[Organisation]:
    """Member organisations that signed a published joint statement of a public network (in
    the area): the originators of those Papers, each an OParl Organization of its own. Their
    name, kind and website are public in the directory anyway; nothing else is shown."""
    signed = Signature.objects.valid().filter(
        organisation=OuterRef("pk"),
        statement__state="published",
        statement__body__is_public=True,
        statement__document__visibility="public",
    )
    if area is not None:
        signed = signed.filter(statement__body__areas=area)
    return Organisation.objects.filter(Exists(signed)).annotate(oparl_modified=F("updated_at"))


class Chain:
    """Two querysets as one list for `pagination.page`: the first's rows, then the second's,
    each ordered by its own primary key (the order stays stable from request to request).
    A page costs a count per part and a slice of the parts it touches."""

    def __init__(self, *parts: QuerySet) -> None:
        self.parts = parts
        self._counts: list[int] | None = None

    def filter(self, **lookups) -> Chain:
        return Chain(*(part.filter(**lookups) for part in self.parts))

    def order_by(self, *fields: str) -> Chain:
        return Chain(*(part.order_by(*fields) for part in self.parts))

    def count(self) -> int:
        if self._counts is None:
            self._counts = [part.count() for part in self.parts]
        return sum(self._counts)

    def __getitem__(self, window: slice) -> list:
        self.count()
        assert self._counts is not None
        start, stop = window.start or 0, window.stop
        rows: list = []
        offset = 0
        for part, size in zip(self.parts, self._counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                rows += list(part[low:high])
            offset += size
        return rows


def body_organizations(area: Area) -> Chain:
    """The networks working in the area, then the organisations that signed their statements."""
    return Chain(organizations(area), signatories(area))


def files(area: Area | None = None) -> QuerySet[DocumentVersion]:
    queryset = DocumentVersion.objects.filter(
        document__visibility="public", document__body__is_public=True
    ).filter(_in_area(area, "document__body__areas"))
    return (
        queryset.select_related("document")
        .annotate(oparl_modified=F("created_at"))
        .prefetch_related(
            Prefetch("document__meeting", queryset=Meeting.objects.public()),
            Prefetch("document__agenda_item", queryset=public_agenda_items()),
        )
    )


def locations(area: Area | None = None) -> QuerySet[Meeting]:
    """Meetings that have a place: each gives one OParl Location."""
    has_place = ~Q(location_name="") | ~Q(location_street="") | Q(location_lat__isnull=False)
    queryset = Meeting.objects.public().filter(has_place).filter(_in_area(area, "body__areas"))
    return queryset.annotate(oparl_modified=F("updated_at"))
