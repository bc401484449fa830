"""Personal data of joint statements for the DSGVO registry (core/privacy.py).

Statements are the records of a body; the people in them are staff and members' delegates
acting for their organisations: who wrote a version, who commented, who signed for an
organisation. Erasure deletes the person's comments and removes their name from versions,
signatures and the statement (the organisation's signature stays: the organisation signed).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from quartier.core.privacy import Category, Subject, rows
from quartier.statements.models import Comment, Signature, Statement, StatementVersion

CATEGORIES = [
    Category(
        key="statements.work",
        name=_("Work on joint statements"),
        purpose=_("Drafting, commenting and co-signing the joint statements of a body"),
        data=_("author of a version or comment, comments, who signed for an organisation and when"),
        subjects=_("coordinators and delegates of member organisations"),
        recipients=_(
            "the body's members and coordinators and the planners of its areas; never public"
        ),
        retention=_("comments deleted a year after publication; authorship goes with the account"),
        legal_basis=_("Art. 6(1)(f) DSGVO (the body's joint work)"),
        kept=_("the published statement with its signing organisations, without the person"),
    ),
]


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    user = subject.user
    if user is None:
        return {"statements.work": []}
    comments = Comment.objects.filter(author=user).select_related("version__statement")
    versions = StatementVersion.objects.filter(author=user).select_related("statement")
    signatures = Signature.objects.filter(signed_by=user).select_related(
        "statement", "organisation"
    )
    return {
        "statements.work": [
            *rows(
                comments, [("statement", lambda c: c.version.statement.title), "text", "created_at"]
            ),
            *rows(
                versions,
                [("statement", lambda v: v.statement.title), "number", "note", "created_at"],
            ),
            *rows(
                signatures,
                [
                    ("statement", lambda s: s.statement.title),
                    ("organisation", lambda s: s.organisation.name),
                    "signed_on",
                    "withdrawn_at",
                ],
            ),
        ]
    }


def erase(subject: Subject) -> dict[str, int]:
    user = subject.user
    if user is None:
        return {"statements.work": 0}
    count, _deleted = Comment.objects.filter(author=user).delete()
    count += StatementVersion.objects.filter(author=user).update(author=None)
    count += Signature.objects.filter(signed_by=user).update(signed_by=None)
    count += Statement.objects.filter(created_by=user).update(created_by=None)
    count += Statement.objects.filter(published_by=user).update(published_by=None)
    return {"statements.work": count}
