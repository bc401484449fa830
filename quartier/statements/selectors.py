"""Reads of joint statements: what a user may see in the back office, the planners'
overview with its filters, the public list of a body."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from quartier.accounts.rules import is_platform_admin
from quartier.networks.models import Delegate
from quartier.networks.rules import coordinated_body_ids, member_body_ids, planned_body_ids
from quartier.statements.models import Signature, Statement
from quartier.statements.rules import signing_rights


def visible_to(user) -> QuerySet[Statement]:
    """Every statement the user may read in the back office (drafts included)."""
    statements = Statement.objects.all()
    if is_platform_admin(user):
        return statements
    body_ids = (
        coordinated_body_ids(user)
        | member_body_ids(user)
        | planned_body_ids(user)
        | {body for body, _organisation in signing_rights(user)}
    )
    return statements.filter(body_id__in=body_ids)


def with_counts(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    # A subquery, not a JOIN: the area filter's joins would multiply a joined count.
    signers = (
        Signature.objects.valid()
        .filter(statement=OuterRef("pk"))
        .order_by()
        .values("statement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return statements.select_related("body", "topic").annotate(
        signer_count=Coalesce(Subquery(signers), 0)
    )


def overview(user, *, area=None, state: str = "", body=None) -> QuerySet[Statement]:
    """The planners' overview: statements of all networks the user plans for (admins: all)."""
    statements = Statement.objects.all()
    if not is_platform_admin(user):
        statements = statements.filter(body_id__in=planned_body_ids(user))
    if area is not None:
        about = Statement.objects.filter(Q(areas=area) | Q(body__areas=area))
        statements = statements.filter(pk__in=about.values("pk"))
    if state:
        statements = statements.filter(state=state)
    if body is not None:
        statements = statements.filter(body=body)
    return with_counts(statements).order_by("-updated_at", "-pk")


def public_signatures(statement: Statement) -> list[Signature]:
    return list(
        statement.signatures.valid()
        .select_related("organisation")
        .order_by("signed_on", "organisation__name")
    )


def published_of_body(body) -> QuerySet[Statement]:
    valid = Signature.objects.valid().select_related("organisation")
    return (
        Statement.objects.published()
        .filter(body=body)
        .select_related("topic")
        .prefetch_related(Prefetch("signatures", queryset=valid, to_attr="valid_signatures"))
        .order_by("-published_at")
    )


def signatory_delegates(statement: Statement) -> QuerySet[Delegate]:
    """The people who may sign for a member organisation of the statement's body today (the
    same test as rules.signing_rights), with their person, login and organisation."""
    return (
        Delegate.objects.current()
        .filter(
            membership__body_id=statement.body_id,
            membership__end_date__isnull=True,
            may_sign=True,
        )
        .select_related("person__user", "membership__organisation")
        .order_by("person_id", "membership__organisation__name")
    )


def signers(statement: Statement) -> list[Signature]:
    """The valid signatures with the login that gave them (for the mail at publication)."""
    return list(
        statement.signatures.valid()
        .filter(signed_by__isnull=False)
        .select_related("signed_by__person", "organisation")
        .order_by("signed_by_id", "organisation__name")
    )
