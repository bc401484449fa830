"""Mails of joint statements (the signing request when a draft is opened, again after a
changed text, the notice at publication) and the public page's schema.org JSON-LD."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

from quartier.networks.models import Delegate
from quartier.statements import services
from quartier.statements.models import State
from tests.factories.directory import OrganisationFactory, PersonFactory
from tests.factories.networks import MembershipFactory
from tests.statements.test_statements import _bo, _client, _draft

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _open(net, django_capture_on_commit_callbacks):
    statement = _draft(net)
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_open(statement=statement)
    return statement


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _link(message) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return found.group(0)


# --- the signing request -------------------------------------------------------------------


def test_opening_mails_each_signatory_once_after_commit_with_a_working_link(
    net, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://quartier.example"
    statement = _draft(net)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.statement_open(statement=statement)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()

    # The three people who may sign; not the member without the right, the coordinator,
    # the planner.
    assert _recipients() == [f"signer{n}.muster@example.org" for n in range(3)]
    message = next(m for m in mail.outbox if m.to == ["signer0.muster@example.org"])
    assert "Jugendtreff" in message.subject
    assert "Caritas Trier" in message.body
    assert "Jugendhilfe West" not in message.body  # only the organisation she signs for
    link = _link(message)
    assert link == "https://quartier.example" + _bo("detail", pk=statement.pk)

    # The link leads the signer to the form; she signs there.
    path = link.removeprefix(settings.SITE_URL)
    signer = _client(net.signers[0])
    page = signer.get(path)
    assert page.status_code == 200
    assert _bo("sign", pk=statement.pk) in page.content.decode()
    assert (
        signer.post(
            _bo("sign", pk=statement.pk), {"organisation": net.organisations[0].pk}
        ).status_code
        == 302
    )
    # Anonymous visitors who got hold of the link are sent to log in, never sign.
    assert _client().get(path).status_code == 302


def test_a_member_without_the_signing_right_neither_gets_the_mail_nor_signs(
    net, django_capture_on_commit_callbacks
):
    statement = _open(net, django_capture_on_commit_callbacks)
    assert "mitglied.muster@example.org" not in _recipients()
    member = _client(net.member)
    response = member.post(_bo("sign", pk=statement.pk), {"organisation": net.organisations[0].pk})
    assert response.status_code == 403
    assert not statement.signatures.exists()


def test_a_rolled_back_opening_sends_nothing(net, django_capture_on_commit_callbacks):
    statement = _draft(net)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        services.statement_open(statement=statement)
        raise Boom
    assert callbacks == []
    assert mail.outbox == []
    statement.refresh_from_db()
    assert statement.state == State.DRAFT


def test_ended_delegations_addressless_people_and_double_roles(
    net, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # The delegation of the second organisation's signer has ended.
    Delegate.objects.filter(person__user=net.signers[1]).update(
        end_date=yesterday, start_date=yesterday - datetime.timedelta(days=30)
    )
    # A fourth member's signer has neither a directory address nor a login.
    fourth = OrganisationFactory(name="Mieterverein Trier")
    membership = MembershipFactory(body=net.body, organisation=fourth, room_capacity=None)
    Delegate.objects.create(
        membership=membership, person=PersonFactory(email="", user=None), may_sign=True
    )
    # The first signer also signs for the third organisation: one mail naming both.
    third = net.body.memberships.get(organisation=net.organisations[2])
    first_person = Delegate.objects.get(person__user=net.signers[0]).person
    Delegate.objects.create(membership=third, person=first_person, may_sign=True)

    _open(net, django_capture_on_commit_callbacks)

    assert _recipients() == ["signer0.muster@example.org", "signer2.muster@example.org"]
    both = next(m for m in mail.outbox if m.to == ["signer0.muster@example.org"])
    assert "Caritas Trier" in both.body and "Bürgerverein Pallien" in both.body


def test_a_signatory_without_a_login_is_told_how_to_get_one(
    net, django_capture_on_commit_callbacks
):
    fourth = OrganisationFactory(name="Mieterverein Trier")
    membership = MembershipFactory(body=net.body, organisation=fourth, room_capacity=None)
    Delegate.objects.create(
        membership=membership,
        person=PersonFactory(given_name="Ola", family_name="Ohnelogin", user=None),
        may_sign=True,
    )
    _open(net, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == ["ola.ohnelogin@example.org"])
    assert "noch keinen Zugang" in message.body
    with_login = next(m for m in mail.outbox if m.to == ["signer0.muster@example.org"])
    assert "noch keinen Zugang" not in with_login.body


def test_the_mails_are_in_the_sites_language_whatever_the_coordinator_uses(
    net, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "de"
    statement = _draft(net)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.statement_open(statement=statement)
    assert mail.outbox
    assert all(message.subject.startswith("Bitte mitzeichnen") for message in mail.outbox)


def test_a_changed_text_asks_only_the_withdrawn_signers_again(
    net, django_capture_on_commit_callbacks
):
    statement = _open(net, django_capture_on_commit_callbacks)
    services.statement_sign(
        statement=statement, organisation_id=net.organisations[1].pk, user=net.signers[1]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_update(
            statement=statement, title=statement.title, text="Ganz neu.", user=net.coordinator
        )
    assert _recipients() == ["signer1.muster@example.org"]
    # A change of the topic alone withdraws nothing and mails nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_update(
            statement=statement, title=statement.title, text="Ganz neu.", user=net.coordinator
        )
    assert mail.outbox == []


# --- the notice at publication -------------------------------------------------------------


def test_publishing_mails_the_signers_the_public_link(
    net, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://quartier.example"
    statement = _open(net, django_capture_on_commit_callbacks)
    for user, organisation in zip(net.signers[:2], net.organisations[:2], strict=True):
        services.statement_sign(statement=statement, organisation_id=organisation.pk, user=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_publish(statement=statement, user=net.coordinator)

    # The two who signed; not the third signatory, not the coordinator.
    assert _recipients() == ["signer0.muster@example.org", "signer1.muster@example.org"]
    link = _link(mail.outbox[0])
    assert link == "https://quartier.example" + statement.get_absolute_url()
    response = _client().get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert "Caritas Trier" in response.content.decode()


def test_a_refused_publication_mails_nobody(net, django_capture_on_commit_callbacks):
    statement = _open(net, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(net.coordinator).post(_bo("publish", pk=statement.pk))
    assert response.status_code == 400  # nobody has signed
    assert mail.outbox == []


# --- schema.org JSON-LD --------------------------------------------------------------------


def _published(net, settings, tmp_path, django_capture_on_commit_callbacks, title="Jugendtreff"):
    settings.MEDIA_ROOT = tmp_path
    statement = _open(net, django_capture_on_commit_callbacks)
    if title != statement.title:
        services.statement_update(
            statement=statement, title=title, text=statement.text, user=net.coordinator
        )
    for user, organisation in zip(net.signers, net.organisations, strict=True):
        services.statement_sign(statement=statement, organisation_id=organisation.pk, user=user)
    return services.statement_publish(statement=statement, user=net.coordinator)


def _jsonld(html: str) -> dict:
    opening = '<script type="application/ld+json">'
    start = html.index(opening) + len(opening)
    return json.loads(html[start : html.index("</script>", start)])


def test_the_public_page_describes_the_statement_as_schema_org_report(
    net, settings, tmp_path, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    statement = _published(net, settings, tmp_path, django_capture_on_commit_callbacks)
    statement.areas.set([net.area])
    client = _client()
    with django_assert_max_num_queries(8):
        response = client.get(statement.get_absolute_url())
    html = response.content.decode()
    data = _jsonld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["name"] == "Jugendtreff"
    assert data["url"] == "http://testserver" + statement.get_absolute_url()
    assert data["datePublished"] == timezone.localdate().isoformat()
    assert data["author"] == {
        "@type": "Organization",
        "name": "Netzwerk Trier-West",
        "url": "http://testserver" + net.body.get_absolute_url(),
    }
    assert sorted(c["name"] for c in data["contributor"]) == sorted(
        o.name for o in net.organisations
    )
    assert all(c["@type"] == "Organization" for c in data["contributor"])
    assert data["about"] == "Jugend"
    assert data["spatialCoverage"][0]["name"] == "Trier-West"
    pdf_url = data["encoding"]["contentUrl"]
    assert data["encoding"]["encodingFormat"] == "application/pdf"
    pdf = client.get(pdf_url.removeprefix("http://testserver"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # Nobody who signed for an organisation is named, and no address (privacy).
    text = json.dumps(data)
    for needle in ("signer", "Muster", "@example.org", "koordination"):
        assert needle not in text


def test_the_json_ld_cannot_close_its_script(
    net, settings, tmp_path, django_capture_on_commit_callbacks
):
    title = 'Jugend </script><script>alert("x")</script> & mehr'
    statement = _published(net, settings, tmp_path, django_capture_on_commit_callbacks, title=title)
    html = _client().get(statement.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert _jsonld(html)["name"] == title
