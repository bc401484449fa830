"""The back office of requests to add an organisation (issue #18): a list for those who
manage the body, a detail page, accept (into the directory and the body's join flow) and
decline with a reason, each mailed after the commit; a decided request forgets the requester."""

import pytest
from django.core import mail
from django.urls import reverse

from quartier.accounts.models import Role, RoleAssignment
from quartier.core.privacy import Subject
from quartier.directory.models import Organisation
from quartier.networks import privacy
from quartier.networks.models import JoinRequest, Membership, OrganisationRequest
from quartier.networks.sections import organisation_requests_context
from tests.factories.accounts import UserFactory


def _request(world, **fields) -> OrganisationRequest:
    values = {
        "body": world.body,
        "organisation_name": "Nachbarschaftsverein Nordstern",
        "website": "https://nordstern.example.org",
        "contact_name": "Nora Nachbar",
        "contact_email": "nora@example.org",
        "message": "Wir organisieren Nachbarschaftshilfe.",
    }
    values.update(fields)
    return OrganisationRequest.objects.create(**values)


def _url(name, obj=None):
    kwargs = {"pk": obj.pk} if obj is not None else {}
    return reverse(f"backoffice:networks:{name}", kwargs=kwargs)


ACCEPT = {
    "accept-name": "Nachbarschaftsverein Nordstern",
    "accept-kind": "association",
    "accept-website": "https://nordstern.example.org",
    "accept-description": "Nachbarschaftshilfe im Viertel.",
}


@pytest.fixture
def other_planner(world):
    user = UserFactory(username="planner-anderstadt")
    RoleAssignment.objects.create(user=user, role=Role.PLANNER, area=world.other_city)
    return user


def test_the_list_shows_open_requests_and_filters_decided_ones(
    world, django_assert_max_num_queries
):
    open_one = _request(world)
    decided = _request(world, organisation_name="Alter Verein")
    client = world.client("planner")
    client.post(_url("organisation_request_decline", decided), {"decline-reason": "Doppelt."})
    for extra in range(3):
        _request(world, organisation_name=f"Verein {extra}")
    with django_assert_max_num_queries(12):
        response = client.get(_url("organisation_requests"))
    html = response.content.decode()
    assert response.status_code == 200
    assert open_one.organisation_name in html and "Alter Verein" not in html
    html = client.get(_url("organisation_requests") + "?status=decided").content.decode()
    assert "Alter Verein" in html and open_one.organisation_name not in html
    # Nonsense in the filter is a 400 with the page, not a 500.
    assert client.get(_url("organisation_requests") + "?status=alle").status_code == 400


def test_accepting_adds_the_organisation_asks_to_join_and_mails_after_commit(
    world, django_capture_on_commit_callbacks
):
    request = _request(world)
    client = world.client("coordinator")
    page = client.get(_url("organisation_request", request)).content.decode()
    assert "nora@example.org" in page and 'value="Nachbarschaftsverein Nordstern"' in page
    with django_capture_on_commit_callbacks(execute=True):
        data = {**ACCEPT, "accept-areas": [area.pk for area in world.body.areas.all()]}
        response = client.post(_url("organisation_request_accept", request), data)
        assert mail.outbox == []  # nothing before the commit
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Nachbarschaftsverein Nordstern")
    assert organisation.kind == "association"
    assert set(organisation.areas.all()) == set(world.body.areas.all())
    join = JoinRequest.objects.get(organisation=organisation, body=world.body)
    assert join.status == JoinRequest.Status.PENDING
    request.refresh_from_db()
    assert request.status == "accepted" and request.organisation == organisation
    assert request.decided_by == world.users["coordinator"]
    # No more personal data than needed: the requester is forgotten once answered.
    assert (request.contact_name, request.contact_email, request.message) == ("", "", "")
    assert privacy.export(Subject(email="nora@example.org"))["networks.organisation_request"] == []
    [message] = mail.outbox
    assert message.to == ["nora@example.org"]
    assert organisation.get_absolute_url() in message.body
    assert "Nora Nachbar" in message.body
    # Decided: the page shows the outcome and no forms.
    page = client.get(_url("organisation_request", request)).content.decode()
    assert "accept-name" not in page and "nora@example.org" not in page


def test_accepting_as_member_at_once(world):
    request = _request(world)
    data = {**ACCEPT, "accept-member_now": "on"}
    world.client("planner").post(_url("organisation_request_accept", request), data)
    organisation = Organisation.objects.get(name="Nachbarschaftsverein Nordstern")
    assert Membership.objects.current().filter(body=world.body, organisation=organisation)
    assert not JoinRequest.objects.filter(organisation=organisation).exists()


def test_declining_needs_a_reason_and_mails_it(world, django_capture_on_commit_callbacks):
    request = _request(world)
    client = world.client("admin")
    response = client.post(_url("organisation_request_decline", request), {"decline-reason": " "})
    assert response.status_code == 422
    assert 'id="id_decline-reason_error"' in response.content.decode()
    request.refresh_from_db()
    assert request.status == "open" and request.contact_email == "nora@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("organisation_request_decline", request),
            {"decline-reason": "Der Verein ist schon als Teil des Trägers erfasst."},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "declined" and request.contact_email == ""
    [message] = mail.outbox
    assert message.to == ["nora@example.org"]
    assert "schon als Teil des Trägers erfasst" in message.body
    assert not Organisation.objects.filter(name="Nachbarschaftsverein Nordstern").exists()


def test_a_name_already_in_the_directory_is_refused_and_nothing_is_written(world):
    request = _request(world, organisation_name=world.organisation.name)
    before = Organisation.objects.count()
    data = {**ACCEPT, "accept-name": world.organisation.name.upper()}
    response = world.client("planner").post(_url("organisation_request_accept", request), data)
    assert response.status_code == 422
    assert "already in the directory" in response.content.decode() or (
        "bereits im Verzeichnis" in response.content.decode()
    )
    assert Organisation.objects.count() == before
    request.refresh_from_db()
    assert request.status == "open" and request.contact_email == "nora@example.org"
    assert not JoinRequest.objects.filter(reason=request.message).exists()


def test_bad_input_gives_the_form_back(world):
    request = _request(world)
    bad = {**ACCEPT, "accept-name": "", "accept-website": "kein link", "accept-kind": "zoo"}
    response = world.client("planner").post(_url("organisation_request_accept", request), bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_accept-name_error"' in html and 'id="id_accept-kind_error"' in html
    request.refresh_from_db()
    assert request.status == "open"


def test_a_decided_request_cannot_be_decided_again(world):
    request = _request(world)
    client = world.client("planner")
    client.post(_url("organisation_request_decline", request), {"decline-reason": "Nein."})
    response = client.post(_url("organisation_request_accept", request), ACCEPT)
    assert response.status_code == 422
    assert not Organisation.objects.filter(name="Nachbarschaftsverein Nordstern").exists()


def test_who_may_not_see_or_decide(world, other_planner, client):
    request = _request(world)
    for role in ("editor", "resident"):
        user_client = world.client(role)
        assert user_client.get(_url("organisation_requests")).status_code == 403
        assert user_client.get(_url("organisation_request", request)).status_code == 403
        response = user_client.post(_url("organisation_request_accept", request), ACCEPT)
        assert response.status_code == 403
    client.force_login(other_planner)
    # The other city's planner sees the list, without this request, and may not open it.
    listing = client.get(_url("organisation_requests"))
    assert listing.status_code == 200
    assert request.organisation_name not in listing.content.decode()
    assert client.get(_url("organisation_request", request)).status_code == 403
    data = {"decline-reason": "Nein."}
    assert client.post(_url("organisation_request_decline", request), data).status_code == 403
    anonymous = world.client("anonymous").get(_url("organisation_request", request))
    assert anonymous.status_code == 302
    request.refresh_from_db()
    assert request.status == "open"


def test_the_dashboard_counts_open_requests_for_those_who_decide(world, rf, other_planner):
    _request(world)
    _request(world, organisation_name="Zweiter Verein")
    assert organisation_requests_context(rf.get("/"), world.users["planner"]) == {"count": 2}
    assert organisation_requests_context(rf.get("/"), world.users["coordinator"]) == {"count": 2}
    assert organisation_requests_context(rf.get("/"), world.users["editor"]) is None
    assert organisation_requests_context(rf.get("/"), other_planner) is None
    html = world.client("planner").get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("backoffice:networks:organisation_requests") in html
