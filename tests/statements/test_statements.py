"""Joint statements: drafting with versions and comments, the diff, co-signing, publication
with PDF, the body's page, the planners' overview; who may not; bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from quartier.accounts.models import Role, RoleAssignment
from quartier.networks.models import DocumentKind, Visibility
from quartier.statements import diff, services
from quartier.statements.models import Comment, Signature, State, Statement
from tests.factories.areas import AreaFactory
from tests.factories.networks import BodyFactory
from tests.statements.conftest import Net

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _bo(name: str, **kwargs) -> str:
    return reverse(f"backoffice:statements:{name}", kwargs=kwargs)


def _draft(net: Net, text: str = "Der Jugendtreff braucht Räume.") -> Statement:
    return services.statement_create(
        body=net.body, title="Jugendtreff", text=text, user=net.coordinator, topic=net.topic
    )


# --- the happy path ------------------------------------------------------------------------


def test_draft_versions_comments_signatures_and_publication(net, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coordinator = _client(net.coordinator)
    response = coordinator.post(
        _bo("create", slug=net.body.slug),
        {
            "title": "Jugendtreff in Trier-West",
            "topic": net.topic.pk,
            "areas": [net.area.pk],
            "text": "Der Jugendtreff braucht Räume.\nAuch am Wochenende.",
        },
    )
    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _bo("detail", pk=statement.pk)
    assert list(statement.areas.all()) == [net.area]

    # A member with the right edits: version 2; a member without it comments.
    first_signer = _client(net.signers[0])
    response = first_signer.post(
        _bo("edit", pk=statement.pk),
        {
            "title": "Jugendtreff in Trier-West",
            "topic": net.topic.pk,
            "areas": [net.area.pk],
            "text": "Der Jugendtreff braucht größere Räume.\nAuch am Wochenende.",
            "note": "Räume präzisiert",
        },
    )
    assert response.status_code == 302
    assert [v.number for v in statement.versions.all()] == [2, 1]
    response = _client(net.member).post(
        _bo("comment", pk=statement.pk, number=2), {"text": "Bitte die Öffnungszeiten nennen."}
    )
    assert response.status_code == 302
    assert Comment.objects.get().version.number == 2

    # Both versions stay readable; the diff marks the changed words.
    assert (
        "braucht Räume"
        in _client(net.member).get(_bo("version", pk=statement.pk, number=1)).content.decode()
    )
    compared = coordinator.get(_bo("compare", pk=statement.pk), {"a": 1, "b": 2})
    assert compared.status_code == 200
    assert "<ins>größere </ins>" in compared.content.decode()

    assert coordinator.post(_bo("open", pk=statement.pk)).status_code == 302
    for user, organisation in zip(net.signers, net.organisations, strict=True):
        response = _client(user).post(
            _bo("sign", pk=statement.pk), {"organisation": organisation.pk}
        )
        assert response.status_code == 302
    # One organisation withdraws and signs again before publication.
    last = _client(net.signers[2])
    assert (
        last.post(
            _bo("withdraw", pk=statement.pk), {"organisation": net.organisations[2].pk}
        ).status_code
        == 302
    )
    assert (
        last.post(
            _bo("sign", pk=statement.pk), {"organisation": net.organisations[2].pk}
        ).status_code
        == 302
    )
    assert statement.signatures.valid().count() == 3

    assert coordinator.post(_bo("publish", pk=statement.pk)).status_code == 302
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    document = statement.document
    assert document.kind == DocumentKind.STATEMENT
    assert document.visibility == Visibility.PUBLIC
    with document.versions.get().file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Public: its page with the signers, the body's page, the PDF; no draft, no comment.
    anonymous = _client()
    page = anonymous.get(statement.get_absolute_url()).content.decode()
    assert "größere Räume" in page
    for organisation in net.organisations:
        assert organisation.name in page
    assert "Öffnungszeiten" not in page
    assert "signer0" not in page  # who signed for the organisation stays internal
    body_page = anonymous.get(net.body.get_absolute_url()).content.decode()
    assert "Jugendtreff in Trier-West" in body_page
    pdf = anonymous.get(reverse("statements:pdf", kwargs={"pk": statement.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_the_planners_overview_filters_by_area_state_and_body(net, django_assert_max_num_queries):
    draft = _draft(net)
    other_area = AreaFactory(name="Ehrang", slug="ehrang")
    other_body = BodyFactory(name="Runder Tisch Ehrang", areas=[other_area])
    RoleAssignment.objects.create(user=net.planner, role=Role.PLANNER, area=other_area)
    for number in range(12):
        services.statement_create(
            body=other_body, title=f"Stellungnahme {number}", text="Text", user=None
        )
    planner = _client(net.planner)
    with django_assert_max_num_queries(20):
        everything = planner.get(_bo("overview"))
    assert everything.status_code == 200
    assert "Stellungnahme 11" in everything.content.decode()
    only_west = planner.get(_bo("overview"), {"area": "trier-west"}).content.decode()
    assert draft.title in only_west and "Stellungnahme 1" not in only_west
    by_body = planner.get(_bo("overview"), {"body": other_body.pk}).content.decode()
    assert "Stellungnahme 3" in by_body and draft.title not in by_body
    published = planner.get(_bo("overview"), {"state": "published"}).content.decode()
    assert "Stellungnahme 3" not in published
    assert planner.get(_bo("overview"), {"state": "erfunden"}).status_code == 400


# --- who may not ---------------------------------------------------------------------------


def test_anonymous_visitors_see_no_draft_and_are_sent_to_log_in(net):
    statement = _draft(net)
    anonymous = _client()
    assert anonymous.get(statement.get_absolute_url()).status_code == 404
    assert anonymous.get(reverse("statements:pdf", kwargs={"pk": statement.pk})).status_code == 404
    response = anonymous.get(_bo("detail", pk=statement.pk))
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_outsiders_neither_read_nor_comment(net):
    statement = _draft(net)
    outsider = _client(net.outsider)
    assert outsider.get(_bo("detail", pk=statement.pk)).status_code == 403
    assert (
        outsider.post(_bo("comment", pk=statement.pk, number=1), {"text": "Hallo"}).status_code
        == 403
    )
    assert (
        outsider.post(_bo("create", slug=net.body.slug), {"title": "X", "text": "Y"}).status_code
        == 403
    )
    assert not Comment.objects.exists()
    assert Statement.objects.count() == 1


def test_a_member_without_the_signing_right_may_not_sign_nor_edit(net):
    statement = services.statement_open(statement=_draft(net))
    member = _client(net.member)
    assert member.get(_bo("detail", pk=statement.pk)).status_code == 200
    response = member.post(_bo("sign", pk=statement.pk), {"organisation": net.organisations[0].pk})
    assert response.status_code == 403
    assert member.post(_bo("edit", pk=statement.pk), {"title": "X", "text": "Y"}).status_code == 403
    assert not Signature.objects.exists()


def test_a_signatory_signs_only_for_their_own_organisation(net):
    statement = services.statement_open(statement=_draft(net))
    response = _client(net.signers[0]).post(
        _bo("sign", pk=statement.pk), {"organisation": net.organisations[1].pk}
    )
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_nothing_changes_after_publication(net, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    statement = services.statement_open(statement=_draft(net))
    services.statement_sign(
        statement=statement, organisation_id=net.organisations[0].pk, user=net.signers[0]
    )
    services.statement_publish(statement=statement, user=net.coordinator)
    coordinator = _client(net.coordinator)
    edit = coordinator.post(_bo("edit", pk=statement.pk), {"title": "Neu", "text": "Neu"})
    assert edit.status_code == 403
    assert (
        coordinator.post(_bo("comment", pk=statement.pk, number=1), {"text": "x"}).status_code
        == 403
    )
    withdraw = _client(net.signers[0]).post(
        _bo("withdraw", pk=statement.pk), {"organisation": net.organisations[0].pk}
    )
    assert withdraw.status_code == 403
    statement.refresh_from_db()
    assert statement.text == "Der Jugendtreff braucht Räume."
    assert statement.signatures.valid().count() == 1
    with pytest.raises(ValidationError):
        services.statement_update(statement=statement, title="Neu", text="Neu", user=None)


# --- bad input -----------------------------------------------------------------------------


def test_publishing_without_signers_is_refused_with_a_message(net):
    statement = services.statement_open(statement=_draft(net))
    response = _client(net.coordinator).post(_bo("publish", pk=statement.pk))
    assert response.status_code == 400
    assert "unterzeichnet" in response.content.decode() or "signed" in response.content.decode()
    statement.refresh_from_db()
    assert statement.state == State.OPEN and statement.document is None


def test_signing_twice_is_refused(net):
    statement = services.statement_open(statement=_draft(net))
    signer = _client(net.signers[0])
    data = {"organisation": net.organisations[0].pk}
    assert signer.post(_bo("sign", pk=statement.pk), data).status_code == 302
    assert signer.post(_bo("sign", pk=statement.pk), data).status_code == 400
    assert statement.signatures.count() == 1


@pytest.mark.parametrize("text", ["", "   \n  ", "x" * 100_000])
def test_empty_or_huge_texts_are_form_errors(net, text):
    response = _client(net.coordinator).post(
        _bo("create", slug=net.body.slug), {"title": "Jugendtreff", "text": text}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert not Statement.objects.exists()


def test_an_edit_to_100000_characters_keeps_the_old_version(net):
    statement = _draft(net)
    response = _client(net.coordinator).post(
        _bo("edit", pk=statement.pk), {"title": "Jugendtreff", "text": "y" * 100_000}
    )
    assert response.status_code == 400
    assert statement.versions.count() == 1


def test_a_changed_text_while_open_asks_the_signers_again(net):
    statement = services.statement_open(statement=_draft(net))
    services.statement_sign(
        statement=statement, organisation_id=net.organisations[0].pk, user=net.signers[0]
    )
    services.statement_update(
        statement=statement, title=statement.title, text="Ganz anders.", user=net.coordinator
    )
    assert not statement.signatures.valid().exists()


def test_a_comparison_of_unknown_versions_is_404_and_of_bad_numbers_400(net):
    statement = _draft(net)
    coordinator = _client(net.coordinator)
    assert coordinator.get(_bo("compare", pk=statement.pk), {"a": 1, "b": 7}).status_code == 404
    assert (
        coordinator.get(_bo("compare", pk=statement.pk), {"a": "-1", "b": "x"}).status_code == 400
    )


def test_nul_characters_are_dropped_not_stored(net):
    statement = _draft(net, text="Text\x00 mit NUL")
    assert statement.text == "Text mit NUL"


def test_the_diff_marks_words_and_paragraphs():
    pieces = diff.compare("Ein Satz.\nGleich.", "Ein neuer Satz.\nGleich.\nNeu.")
    assert [p.op for p in pieces[0]] == ["same", "ins", "same"]
    assert pieces[1] == [diff.Piece("same", "Gleich.")]
    assert pieces[2] == [diff.Piece("ins", "Neu.")]
