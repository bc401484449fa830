"""District fund (Verfügungsfonds): the public application with consent and tracking link, the
agenda and the vote recorded in the minutes, the fund's limit (also under concurrent
decisions), retention and the DSGVO hooks, who may do what, and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quartier.accounts.models import Role, RoleAssignment
from quartier.core.models import ConsentRecord
from quartier.core.privacy import Subject
from quartier.networks.models import AgendaItem, Decision, Minutes
from quartier.projects import privacy, retention, services, tokens
from quartier.projects.forms import FUND_CONSENT
from quartier.projects.models import Fund, FundApplication, FundStatus
from tests.factories import projects as f
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

APPLY = reverse("projects:fund_apply")


def apply_data(**extra):
    data = {
        "area": "nordviertel",
        "title": "Sommerfest im Hof",
        "initiative": "Hofgemeinschaft",
        "purpose": "Getränke und Musik für das Sommerfest im Innenhof.",
        "amount": "250",
        "planned_on": "2030-07-01",
        "applicant_name": "Nora Nachbar",
        "applicant_email": "nora@example.org",
        "consent": "on",
    }
    data.update(extra)
    return data


def token_of(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[1]


def decide_data(**extra):
    data = {
        "outcome": "granted",
        "amount_granted": "400",
        "votes_for": "5",
        "votes_against": "1",
        "abstentions": "2",
        "note": "Schöne Idee.",
    }
    data.update(extra)
    return data


# --- The public form and the tracking page ---------------------------------------------------


def test_a_resident_applies_and_follows_the_application(world, django_capture_on_commit_callbacks):
    client = world.client("anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, apply_data())
    assert response.status_code == 302
    application = FundApplication.objects.latest("pk")
    assert tokens.fund_application_id(token_of(response["Location"])) == application.pk
    assert application.fund == world.fund and application.status == FundStatus.RECEIVED
    assert application.amount_requested == Decimal(250)
    assert application.applicant_email == "nora@example.org"
    record = ConsentRecord.objects.get(object_id=application.pk, purpose="projects.fund_applicant")
    assert record.text == str(FUND_CONSENT) and record.version
    # The receipt goes to the address given, and only there, with the tracking link.
    assert [m.to for m in mail.outbox] == [["nora@example.org"]]
    link = next(w for w in mail.outbox[0].body.split() if "/verfuegungsfonds/antrag/" in w)
    assert tokens.fund_application_id(token_of(link)) == application.pk
    page = client.get(response["Location"]).content.decode()
    assert application.number in page and "Sommerfest im Hof" in page
    assert "nora@example.org" not in page and "Nora Nachbar" not in page


def test_the_form_offers_only_areas_with_an_open_fund(world):
    page = world.client("anonymous").get(APPLY).content.decode()
    assert "Nordviertel" in page and "Anderstadt" in page
    world.other_fund.is_open = False
    world.other_fund.save()
    page = world.client("anonymous").get(APPLY).content.decode()
    assert "Anderstadt" not in page


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "99999999999"}, "amount"),
        ({"amount": "601"}, "amount"),  # above the fund's cap of 600
        ({"amount": "viel"}, "amount"),
        ({"consent": ""}, "consent"),
        ({"purpose": "x" * 100_000}, "purpose"),
        ({"title": "t" * 100_000}, "title"),
        ({"area": "gibt-es-nicht"}, "area"),
        ({"area": ""}, "area"),
        ({"applicant_email": "keine-adresse"}, "applicant_email"),
        ({"applicant_name": ""}, "applicant_name"),
        ({"purpose": "kurz"}, "purpose"),
        ({"planned_on": "31.02.2030"}, "planned_on"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(world, extra, field):
    before = FundApplication.objects.count(), ConsentRecord.objects.count()
    response = world.client("anonymous").post(APPLY, apply_data(**extra))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (FundApplication.objects.count(), ConsentRecord.objects.count()) == before
    assert mail.outbox == []


def test_a_filled_honeypot_stores_nothing(world):
    response = world.client("anonymous").post(APPLY, apply_data(website_url="http://spam"))
    assert response.status_code == 400
    assert not FundApplication.objects.filter(title="Sommerfest im Hof").exists()


def test_nul_characters_are_refused_or_dropped_never_500(world):
    response = world.client("anonymous").post(APPLY, apply_data(purpose="Fest\x00 im Hof, bitte"))
    assert response.status_code in (302, 400)


def test_the_service_refuses_an_area_without_an_open_fund(world):
    with pytest.raises(ValidationError) as exc:
        services.fund_apply(
            area=world.city, title="Fest", purpose="Ein Fest für alle im Viertel.",
            amount=Decimal(10), applicant_name="A", applicant_email="a@example.org",
            consent_text=FUND_CONSENT, consent_given=True,
        )  # fmt: skip
    assert "area" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.fund_apply(
            area=world.district, title="Fest", purpose="Ein Fest für alle im Viertel.",
            amount=Decimal(10), applicant_name="A", applicant_email="a@example.org",
            consent_text=FUND_CONSENT, consent_given=False,
        )  # fmt: skip
    assert "consent" in exc.value.message_dict
    assert not FundApplication.objects.filter(title="Fest").exists()


def test_the_applicant_withdraws_a_pending_application(world):
    client = world.client("anonymous")
    token = tokens.fund_track_token(world.application)
    url = reverse("projects:fund_track", kwargs={"token": token})
    assert client.post(url).status_code == 302
    world.application.refresh_from_db()
    assert world.application.status == FundStatus.WITHDRAWN and world.application.closed_at
    assert client.post(url).status_code == 400  # once only


def test_a_forged_tracking_link_is_404(world):
    token = tokens.fund_track_token(world.application)
    url = reverse("projects:fund_track", kwargs={"token": token[:-2] + "xy"})
    assert world.client("anonymous").get(url).status_code == 404


# --- Agenda, vote, minutes -------------------------------------------------------------------


def test_the_coordinator_puts_an_application_on_the_agenda(world):
    client = world.client("coordinator")
    url = reverse("backoffice:projects:application_agenda", kwargs={"pk": world.application.pk})
    assert client.post(url, {"meeting": world.meeting.pk}).status_code == 302
    world.application.refresh_from_db()
    item = world.application.agenda_item
    assert item.meeting == world.meeting and item.status == AgendaItem.Status.ACCEPTED
    assert world.application.status == FundStatus.AGENDA
    assert "Hoffest" in item.title
    # A second time: refused, nothing new on the agenda.
    count = AgendaItem.objects.count()
    assert client.post(url, {"meeting": world.meeting.pk}).status_code == 400
    assert AgendaItem.objects.count() == count


def test_the_vote_goes_into_the_minutes_and_onto_the_tracking_page(
    world, django_capture_on_commit_callbacks
):
    application = world.agenda_application
    url = reverse("backoffice:projects:application_decide", kwargs={"pk": application.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(url, decide_data(amount_granted="300"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == FundStatus.PARTLY and application.amount_granted == 300
    assert (application.votes_for, application.votes_against, application.abstentions) == (5, 1, 2)
    assert application.decided_at_meeting == world.past_meeting and application.closed_at
    decision = Decision.objects.get(pk=application.decision_id)
    assert decision.minutes == Minutes.objects.get(meeting=world.past_meeting)
    assert decision.agenda_item == application.agenda_item
    assert "5" in decision.text and "300" in decision.text and "Lesecafé" in decision.text
    assert application.applicant_name not in decision.text
    # The applicant hears of it, at the address given.
    assert [m.to for m in mail.outbox] == [[application.applicant_email]]
    track = reverse("projects:fund_track", kwargs={"token": tokens.fund_track_token(application)})
    page = world.client("anonymous").get(track).content.decode()
    assert "300" in page and "Schöne Idee." in page and world.past_meeting.title in page
    # The fund's public page: granted and left, the title of the granted project.
    fund_page = world.client("anonymous").get(world.fund.get_absolute_url()).content.decode()
    assert "Lesecafé" in fund_page and "500" in fund_page  # 1000 - 200 - 300
    assert application.applicant_name not in fund_page


def test_granting_more_than_is_left_is_refused_with_nothing_written(world):
    world.granted_application.amount_granted = Decimal(700)
    world.granted_application.save()  # 300 left
    application = world.agenda_application
    url = reverse("backoffice:projects:application_decide", kwargs={"pk": application.pk})
    decisions = Decision.objects.count()
    response = world.client("coordinator").post(url, decide_data(amount_granted="400"))
    assert response.status_code == 400
    assert "300" in response.content.decode()  # says what is left
    application.refresh_from_db()
    assert application.status == FundStatus.AGENDA and application.amount_granted is None
    assert Decision.objects.count() == decisions and mail.outbox == []


@pytest.mark.parametrize(
    "extra",
    [
        {"amount_granted": "-1"},
        {"amount_granted": "500"},  # more than requested (400)
        {"amount_granted": ""},
        {"votes_for": "-1"},
        {"votes_for": "x"},
        {"outcome": "vielleicht"},
        {"note": "n" * 100_000},
    ],
)
def test_a_bad_vote_is_refused_with_nothing_written(world, extra):
    application = world.agenda_application
    url = reverse("backoffice:projects:application_decide", kwargs={"pk": application.pk})
    decisions = Decision.objects.count()
    assert world.client("coordinator").post(url, decide_data(**extra)).status_code == 400
    application.refresh_from_db()
    assert application.status == FundStatus.AGENDA and Decision.objects.count() == decisions


def test_a_refusal_grants_nothing(world):
    application = services.fund_application_decide(
        application=world.agenda_application, outcome=FundStatus.REFUSED, votes_for=1,
        votes_against=6, abstentions=0, amount_granted=Decimal(400),
    )  # fmt: skip
    assert application.status == FundStatus.REFUSED and application.amount_granted == 0
    assert services.fund_granted(world.fund) == Decimal(200)


def test_the_vote_waits_for_the_meeting(world):
    services.fund_application_put_on_agenda(
        application=world.application, meeting=world.meeting, user=world.users["coordinator"]
    )
    with pytest.raises(ValidationError):
        services.fund_application_decide(
            application=world.application, outcome=FundStatus.GRANTED, votes_for=3,
            votes_against=0, abstentions=0, amount_granted=Decimal(300),
        )  # fmt: skip


def test_a_received_application_cannot_be_decided_without_an_agenda(world):
    url = reverse("backoffice:projects:application_decide", kwargs={"pk": world.application.pk})
    assert world.client("coordinator").post(url, decide_data()).status_code == 400


def test_approved_minutes_take_no_new_decision(world):
    minutes = Minutes.objects.get(meeting=world.past_meeting)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.save()
    url = reverse(
        "backoffice:projects:application_decide", kwargs={"pk": world.agenda_application.pk}
    )
    assert world.client("coordinator").post(url, decide_data()).status_code == 400
    world.agenda_application.refresh_from_db()
    assert world.agenda_application.status == FundStatus.AGENDA


# --- Who may not -----------------------------------------------------------------------------


@pytest.fixture
def other_coordinator(world):
    user = UserFactory(username="anders")
    RoleAssignment.objects.create(
        user=user, role=Role.COORDINATOR, organisation=world.other_organisation,
        area=world.other_city,
    )  # fmt: skip
    return user


@pytest.mark.parametrize("role", ["anonymous", "resident", "editor", "planner", "other"])
def test_only_the_areas_coordinator_decides(world, client, role, other_coordinator):
    url = reverse(
        "backoffice:projects:application_decide", kwargs={"pk": world.agenda_application.pk}
    )
    if role == "other":
        client.force_login(other_coordinator)
    elif role != "anonymous":
        client.force_login(world.users[role])
    response = client.post(url, decide_data())
    assert response.status_code in (302, 403)
    if role == "anonymous":
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403
    world.agenda_application.refresh_from_db()
    assert world.agenda_application.status == FundStatus.AGENDA
    assert not Decision.objects.filter(agenda_item=world.agenda_application.agenda_item).exists()


def test_another_areas_coordinator_sees_neither_the_application_nor_the_fund(
    world, client, other_coordinator
):
    client.force_login(other_coordinator)
    detail = reverse("backoffice:projects:application", kwargs={"pk": world.application.pk})
    assert client.get(detail).status_code == 403
    edit = reverse("backoffice:projects:fund_edit", kwargs={"pk": world.fund.pk})
    assert client.post(edit, {"budget": "1"}).status_code == 403
    index = client.get(reverse("backoffice:projects:funds") + "?show=all").content.decode()
    assert "Hoffest" not in index and "Anderfest" in index


# --- The fund ---------------------------------------------------------------------------------


def test_the_coordinator_creates_and_edits_a_fund(world):
    client = world.client("coordinator")
    year = f.TODAY.year + 1
    data = {"area": world.district.pk, "year": year, "title": "VF", "budget": "2.500,00"}
    response = client.post(reverse("backoffice:projects:fund_create"), data)
    assert response.status_code == 302
    fund = Fund.objects.get(area=world.district, year=year)
    assert fund.budget == Decimal(2500)
    # The same area and year again: refused.
    assert client.post(reverse("backoffice:projects:fund_create"), data).status_code == 400
    # A budget below what is granted: refused.
    edit = reverse("backoffice:projects:fund_edit", kwargs={"pk": world.fund.pk})
    low = {"area": world.district.pk, "year": world.fund.year, "title": "VF", "budget": "100"}
    assert client.post(edit, low).status_code == 400
    world.fund.refresh_from_db()
    assert world.fund.budget == Decimal(1000)


def test_a_fund_for_another_area_cannot_be_created(world):
    data = {"area": world.other_city.pk, "year": 2031, "title": "VF", "budget": "10"}
    client = world.client("coordinator")
    assert client.post(reverse("backoffice:projects:fund_create"), data).status_code == 400
    assert not Fund.objects.filter(year=2031).exists()


def test_the_public_fund_list_has_a_query_budget(world, django_assert_max_num_queries):
    for year in range(2000, 2010):
        fund = f.fund(world.district, year=year)
        f.application(fund, amount_granted=10, status=FundStatus.GRANTED)
    with django_assert_max_num_queries(12):
        assert world.client("anonymous").get(reverse("projects:funds")).status_code == 200


def test_the_backoffice_list_has_a_query_budget(world, django_assert_max_num_queries):
    for i in range(30):
        f.application(world.fund, title=f"Antrag {i}")
    client = world.client("coordinator")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("backoffice:projects:funds")).status_code == 200


# --- Retention and the DSGVO hooks ------------------------------------------------------------


def test_contact_data_is_purged_after_the_retention(world, settings):
    now = timezone.now()
    old = f.application(world.fund, title="Alt", status=FundStatus.REFUSED,
                        closed_at=now - dt.timedelta(days=181))  # fmt: skip
    recent = f.application(world.fund, title="Neu", status=FundStatus.WITHDRAWN,
                           closed_at=now - dt.timedelta(days=179))  # fmt: skip
    counts = retention.purge(dry_run=True, now=now)
    assert list(counts.values()) == [1]
    old.refresh_from_db()
    assert old.applicant_email  # a dry run changes nothing
    retention.purge(now=now)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.applicant_email == "" and old.applicant_name == "" and old.contact_purged_at
    assert recent.applicant_email and world.application.applicant_email  # pending: kept
    settings.QUARTIER_FUND_CONTACT_RETENTION_DAYS = 30
    assert list(retention.purge(now=now).values()) == [1]
    recent.refresh_from_db()
    assert recent.applicant_email == ""


def test_the_history_never_holds_contact_data(world):
    assert not hasattr(FundApplication.history.model, "applicant_email")


def test_privacy_export_and_erase_by_address(world):
    f.application(world.fund, title="Mein Fest", applicant_email="Ida@Example.org")
    subject = Subject(email="ida@example.org", user=None)
    exported = privacy.export(subject)["projects.fund_applicant"]
    assert [row["title"] for row in exported] == ["Mein Fest"]
    assert privacy.erase(subject) == {"projects.fund_applicant": 1}
    assert not FundApplication.objects.filter(applicant_email__iexact="ida@example.org").exists()
    assert FundApplication.objects.filter(title="Mein Fest", applicant_email="").exists()


def test_the_service_checks_lengths_itself(world):
    with pytest.raises(ValidationError) as exc:
        services.fund_apply(
            area=world.district, title="t" * 100_000, purpose="p" * 100_000,
            amount=Decimal("1e12"), applicant_name="n" * 100_000,
            applicant_email="a@example.org", consent_text=FUND_CONSENT, consent_given=True,
        )  # fmt: skip
    assert {"title", "purpose", "amount", "applicant_name"} <= set(exc.value.message_dict)
    assert not FundApplication.objects.filter(applicant_email="a@example.org").exists()
