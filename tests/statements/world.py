"""Joint statements in the shared test world (world.body of networks):

- world.statement_org is a member of world.body; its delegate (login "zeichnerin", no matrix
  role) may sign. The editor (of world.organisation, a member) reads and comments; the
  coordinator (of the body) drafts, opens and publishes; the planner (of the city) reads; no
  matrix role may sign (tests/statements/test_statements.py signs).
- world.statement_draft: two versions, a comment (internal, a secret sentinel).
- world.statement_open: open for signature, no signer yet.
- world.statement_signed: open, signed by world.organisation.
- world.statement_published: published, signed by world.organisation, with its (file-less)
  document.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from quartier.networks.models import (
    Delegate,
    Document,
    DocumentKind,
    DocumentVersion,
    Membership,
    Visibility,
)
from quartier.statements.models import Comment, Signature, State, Statement, StatementVersion
from tests import sentinels
from tests.factories.accounts import UserFactory
from tests.factories.directory import OrganisationFactory, PersonFactory, PositionFactory

ORDER = 120  # after networks (world.body, world.membership)


def _statement(world, title: str, text: str, **fields) -> Statement:
    statement = Statement.objects.create(
        body=world.body, title=title, text=text, created_by=world.users["coordinator"], **fields
    )
    statement.areas.set([world.district])
    StatementVersion.objects.create(
        statement=statement, number=1, title=title, text=text, author=statement.created_by
    )
    return statement


def extend(world) -> None:
    organisation = OrganisationFactory(name="Familienzentrum Nord e.V.", areas=[world.district])
    membership = Membership.objects.create(body=world.body, organisation=organisation)
    # Her own login (no matrix role): linking a role's user to a person would change what that
    # role may do in networks; no e-mail, so she gets no meeting invitations either.
    signer = PersonFactory(
        given_name="Sina", family_name="Zeichner", email="", user=UserFactory(username="zeichnerin")
    )
    PositionFactory(person=signer, organisation=organisation, role="Vorstand")
    Delegate.objects.create(membership=membership, person=signer, may_sign=True)
    now = timezone.now()
    draft = _statement(
        world,
        "Entwurf zur Schulwegsicherheit",
        sentinels.secret("statements draft text"),
    )
    second = StatementVersion.objects.create(
        statement=draft,
        number=2,
        title=draft.title,
        text=draft.text + "\nZweiter Absatz.",
        author=world.users["editor"],
    )
    draft.text = second.text
    draft.save(update_fields=["text"])
    Comment.objects.create(
        version=second,
        author=world.users["editor"],
        text=sentinels.secret("statements internal comment"),
    )
    opened = _statement(
        world,
        "Stellungnahme zum Spielplatz",
        "Der Spielplatz muss bleiben.",
        state=State.OPEN,
        opened_at=now,
    )
    signed = _statement(
        world,
        "Stellungnahme zur Buslinie",
        "Die Buslinie 3 soll bleiben.",
        state=State.OPEN,
        opened_at=now,
    )
    Signature.objects.create(
        statement=signed,
        organisation=organisation,
        signed_by=world.users["editor"],
        signed_on=timezone.localdate(),
    )
    document = Document.objects.create(
        body=world.body,
        kind=DocumentKind.STATEMENT,
        title="Stellungnahme zum Jugendtreff",
        visibility=Visibility.PUBLIC,
        date=timezone.localdate(),
    )
    version = DocumentVersion(
        document=document, number=1, file_name="stellungnahme.pdf", mime_type="application/pdf"
    )
    version.file.name = "networks/documents/missing/stellungnahme.pdf"
    version.save()
    published = _statement(
        world,
        "Stellungnahme zum Jugendtreff",
        f"Wir brauchen einen Jugendtreff. {sentinels.public('statements published text')}",
        state=State.PUBLISHED,
        opened_at=now - datetime.timedelta(days=7),
        published_at=now,
        document=document,
    )
    for signing in (world.organisation, organisation):
        Signature.objects.create(
            statement=published,
            organisation=signing,
            signed_on=timezone.localdate() - datetime.timedelta(days=3),
        )
    world.extra.update(
        statement_signer=signer,
        statement_org=organisation,
        statement_draft=draft,
        statement_open=opened,
        statement_signed=signed,
        statement_published=published,
    )
