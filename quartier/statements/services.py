"""Writes of joint statements: draft, edit (a new version), comment, open for signature, sign,
withdraw, publish. Views and the demo call these; each is atomic and refuses what the state
does not allow with a ValidationError (a form error, never a half-written change)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.core.tasks import enqueue_on_commit
from quartier.networks.models import Body, DocumentKind, Topic, Visibility
from quartier.networks.services import document_add
from quartier.statements import mail
from quartier.statements.models import (
    MAX_TEXT,
    Comment,
    Signature,
    State,
    Statement,
    StatementVersion,
)

MAX_COMMENT = 5000


def _clean(text: str) -> str:
    # PostgreSQL cannot store NUL characters; line ends are kept as the author typed them.
    return (text or "").replace("\x00", "").strip()


def check_text(text: str, *, field: str = "text", limit: int = MAX_TEXT) -> str:
    text = _clean(text)
    if not text:
        raise ValidationError({field: _("The text is empty.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _(
                    "The text may have at most %(max)s characters; it has %(n)s. Please shorten it."
                )
                % {"max": limit, "n": len(text)}
            }
        )
    return text


def check_title(title: str) -> str:
    title = _clean(title)
    if not title:
        raise ValidationError({"title": _("Give the statement a title.")})
    return title[:300]


def _locked(statement: Statement) -> Statement:
    """The statement's row, locked for the rest of the transaction (state checks race)."""
    return Statement.objects.select_for_update().get(pk=statement.pk)


def _add_version(statement: Statement, *, user, note: str = "") -> StatementVersion:
    number = (statement.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return StatementVersion.objects.create(
        statement=statement,
        number=number,
        title=statement.title,
        text=statement.text,
        note=_clean(note)[:300],
        author=user,
    )


@transaction.atomic
def statement_create(
    *,
    body: Body,
    title: str,
    text: str,
    user,
    topic: Topic | None = None,
    areas: Iterable = (),
) -> Statement:
    statement = Statement.objects.create(
        body=body,
        title=check_title(title),
        text=check_text(text),
        topic=topic,
        created_by=user,
    )
    statement.areas.set(list(areas))
    _add_version(statement, user=user)
    return statement


@transaction.atomic
def statement_update(
    *,
    statement: Statement,
    title: str,
    text: str,
    user,
    topic: Topic | None = None,
    areas: Iterable | None = None,
    note: str = "",
) -> StatementVersion | None:
    """Save a change; a changed title or text becomes a new version (None: nothing changed)."""
    statement = _locked(statement)
    if statement.state == State.PUBLISHED:
        raise ValidationError(_("A published statement cannot be changed."))
    title, text = check_title(title), check_text(text)
    changed_text = (title, text) != (statement.title, statement.text)
    changed_topic = topic != statement.topic
    if changed_text or changed_topic:
        statement.title, statement.text, statement.topic = title, text, topic
        statement.save(update_fields=["title", "text", "topic", "updated_at"])
    if changed_text and statement.state == State.OPEN:
        # The organisations signed another text: they are asked to sign again, by mail.
        withdrawn = list(statement.signatures.valid().values_list("organisation_id", flat=True))
        statement.signatures.valid().update(withdrawn_at=timezone.now())
        if withdrawn:
            enqueue_on_commit(mail.send_signing_requests, statement.pk, withdrawn)
    if areas is not None:
        statement.areas.set(list(areas))
    return _add_version(statement, user=user, note=note) if changed_text else None


@transaction.atomic
def comment_add(*, version: StatementVersion, user, text: str) -> Comment:
    statement = _locked(version.statement)
    if statement.state == State.PUBLISHED:
        raise ValidationError(_("A published statement takes no more comments."))
    return Comment.objects.create(
        version=version, author=user, text=check_text(text, limit=MAX_COMMENT)
    )


@transaction.atomic
def statement_open(*, statement: Statement) -> Statement:
    statement = _locked(statement)
    if statement.state != State.DRAFT:
        raise ValidationError(_("Only a draft can be opened for signature."))
    statement.state = State.OPEN
    statement.opened_at = timezone.now()
    statement.save(update_fields=["state", "opened_at", "updated_at"])
    enqueue_on_commit(mail.send_signing_requests, statement.pk)
    return statement


@transaction.atomic
def statement_sign(*, statement: Statement, organisation_id: int, user) -> Signature:
    """The organisation co-signs; the caller has checked that `user` may sign for it."""
    statement = _locked(statement)
    if statement.state != State.OPEN:
        raise ValidationError(_("The statement is not open for signature."))
    if statement.signatures.valid().filter(organisation_id=organisation_id).exists():
        raise ValidationError(_("This organisation has already signed."))
    try:
        with transaction.atomic():
            return Signature.objects.create(
                statement=statement,
                organisation_id=organisation_id,
                signed_by=user,
                signed_on=timezone.localdate(),
            )
    except IntegrityError:
        raise ValidationError(_("This organisation has already signed.")) from None


@transaction.atomic
def signature_withdraw(*, statement: Statement, organisation_id: int) -> Signature:
    statement = _locked(statement)
    if statement.state == State.PUBLISHED:
        raise ValidationError(_("A signature cannot be withdrawn after publication."))
    signature = statement.signatures.valid().filter(organisation_id=organisation_id).first()
    if signature is None:
        raise ValidationError(_("This organisation has not signed."))
    signature.withdrawn_at = timezone.now()
    signature.save(update_fields=["withdrawn_at"])
    return signature


@transaction.atomic
def statement_publish(*, statement: Statement, user) -> Statement:
    """Freeze text and signers, store the PDF as the body's public document (OParl Paper)."""
    from quartier.statements.pdf import render_pdf

    statement = _locked(statement)
    if statement.state != State.OPEN:
        raise ValidationError(_("Open the statement for signature before publishing it."))
    if not statement.signatures.valid().exists():
        raise ValidationError(_("No organisation has signed yet; a joint statement needs signers."))
    now = timezone.now()
    statement.state = State.PUBLISHED
    statement.published_at = now
    statement.published_by = user
    pdf = render_pdf(statement)
    statement.document = document_add(
        body=statement.body,
        title=statement.title,
        kind=DocumentKind.STATEMENT,
        file=SimpleUploadedFile(
            f"stellungnahme-{statement.pk}.pdf", pdf, content_type="application/pdf"
        ),
        user=user,
        visibility=Visibility.PUBLIC,
        date=timezone.localdate(now),
        description=statement.topic.name if statement.topic else "",
    )
    statement.save(
        update_fields=["state", "published_at", "published_by", "document", "updated_at"]
    )
    enqueue_on_commit(mail.send_publication_notice, statement.pk)
    return statement
