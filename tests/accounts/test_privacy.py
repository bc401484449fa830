"""DSGVO rights (core/privacy.py, accounts/privacy_views.py): export and erasure of everything
tied to a person, by the account, by a confirmed e-mail request and by an admin for a letter."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
from django.conf import settings
from django.urls import reverse

from quartier.accounts import tokens
from quartier.accounts.models import PrivacyRequest, User
from quartier.alerts.models import Subscription
from quartier.concerns.models import Concern, Photo
from quartier.concerns.services import concern_report
from quartier.core import privacy
from quartier.core.models import ConsentRecord
from quartier.core.privacy import ERASED_DOMAIN, address_digest
from quartier.events.models import Registration, ShiftSignup
from quartier.publications.models import DeliveryFailure, Mailing, Subscriber
from quartier.venues.models import Booking, BookingStatus
from quartier.venues.services import Requester
from tests.factories.areas import AreaFactory
from tests.factories.concerns import CategoryFactory
from tests.factories.events import (
    EventFactory,
    RegistrationFactory,
    ShiftFactory,
    ShiftSignupFactory,
    in_days,
)
from tests.factories.publications import IssueFactory, SubscriberFactory
from tests.factories.venues import RoomFactory, at, book

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"
CATEGORIES = {
    "accounts.account",
    "alerts.subscription",
    "concerns.reporter",
    "events.registration",
    "events.shift_signup",
    "publications.subscriber",
    "venues.booking",
}


def _traces(email: str = ADDRESS, name: str = "Rosa Nachbarin") -> dict:
    """A past and a coming registration, a helper sign-up, a room request and an alert, all
    made without logging in, under the address."""
    past = EventFactory(
        starts_at=in_days(-3), registration_required=True, capacity=5, title="Flohmarkt"
    )
    coming = EventFactory(starts_at=in_days(5), registration_required=True, capacity=1)
    RegistrationFactory(event=coming, name=name, email=email, seat=1)
    waiting = RegistrationFactory(event=coming, status="waitlisted", seat=None)
    RegistrationFactory(event=past, name=name, email=email.upper(), seat=1)
    ShiftSignupFactory(shift=ShiftFactory(event=past), first_name="Rosa", email=email)
    room = RoomFactory()
    booking = book(
        room,
        at(2030, 3, 4, 10),
        at(2030, 3, 4, 12),
        requester=Requester(name=name, email=email, phone="0651 123"),
        consent=True,
        source="public",
        enforce_rules=False,
    )
    Subscription.objects.create(email=email, kind="search", query="Tafel", label="Tafel")
    concern = concern_report(
        category=CategoryFactory(),
        description="Der Gehweg vor Hausnummer 3 ist aufgerissen.",
        area=AreaFactory(),
        uploads=[_photo()],
        reporter_name=name,
        reporter_email=email.title(),
        contact_consent=True,
        consent_text="Ich möchte Antworten per E-Mail.",
    ).concern
    subscriber = SubscriberFactory(email=email, consent_text="Viertelbrief, bitte.")
    mailing = Mailing.objects.create(
        issue=IssueFactory(), newsletter=subscriber.newsletter, total=3, sent=2, failed=1
    )
    DeliveryFailure.objects.create(
        mailing=mailing, subscriber=subscriber, error=f"550 <{email}>: mailbox full"
    )
    return {
        "waiting": waiting,
        "booking": booking,
        "past": past,
        "concern": concern,
        "mailing": mailing,
    }


def _photo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, format="JPEG")
    return SimpleUploadedFile("hof.jpg", out.getvalue(), content_type="image/jpeg")


def _nothing_left(email: str = ADDRESS) -> None:
    assert not Registration.objects.filter(email__iexact=email).exists()
    assert not Registration.objects.filter(name="Rosa Nachbarin").exists()
    assert not ShiftSignup.objects.filter(email__iexact=email).exists()
    assert not ShiftSignup.objects.filter(first_name="Rosa").exists()
    assert not Booking.objects.filter(requester_email__iexact=email).exists()
    assert not Booking.objects.filter(requester_name="Rosa Nachbarin").exists()
    assert not Subscription.objects.filter(email__iexact=email).exists()
    assert not Concern.objects.filter(reporter_email__iexact=email).exists()
    assert not Concern.objects.filter(reporter_name="Rosa Nachbarin").exists()
    assert not Subscriber.objects.filter(email__iexact=email).exists()
    assert not DeliveryFailure.objects.filter(error__icontains=email).exists()
    assert privacy.count(privacy.export_data(privacy.Subject.for_email(email))) == 0


def _stats_kept(traces: dict) -> None:
    # The past event keeps its figure; the coming one gave the seat to the waiting list.
    assert traces["past"].registrations.count() == 1
    past = traces["past"].registrations.get()
    assert past.name == "" and past.email.endswith("@" + ERASED_DOMAIN)
    assert ShiftSignup.objects.filter(shift__event=traces["past"]).count() == 1
    traces["waiting"].refresh_from_db()
    assert traces["waiting"].status == "confirmed"
    booking = Booking.objects.get(pk=traces["booking"].pk)
    assert booking.status == BookingStatus.CANCELLED
    assert booking.personal_data_erased_at is not None and booking.requester_phone == ""
    # The concern stays, anonymised, without its photos; the mailing keeps its figures.
    concern = Concern.objects.get(pk=traces["concern"].pk)
    assert concern.reporter_email == "" and not concern.contact_consent
    assert concern.contact_purged_at is not None and not Photo.objects.filter(concern=concern)
    mailing = Mailing.objects.get(pk=traces["mailing"].pk)
    assert (mailing.total, mailing.sent, mailing.failed) == (3, 2, 1)
    assert mailing.failures.get().subscriber is None


def test_account_export_has_everything_under_the_address(world):
    _traces()
    client = world.client("resident")
    page = client.get(reverse("accounts:my_data"))
    assert page.status_code == 200
    assert "Rosa Nachbarin" in page.content.decode() and "Flohmarkt" in page.content.decode()
    response = client.get(reverse("accounts:my_data") + "?format=json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert set(data["data"]) >= CATEGORIES
    assert len(data["data"]["events.registration"]["records"]) == 2
    assert data["data"]["venues.booking"]["records"][0]["requester_phone"] == "0651 123"
    assert data["account"] == "resident"
    record = PrivacyRequest.objects.filter(kind="export", channel="account").latest("pk")
    assert record.address_digest == address_digest(ADDRESS) and ADDRESS not in str(
        PrivacyRequest.objects.values().get(pk=record.pk)
    )


def test_deleting_the_account_erases_what_hangs_on_the_address(
    world, django_capture_on_commit_callbacks
):
    traces = _traces()
    client = world.client("resident")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"password": "test-password-123"})
    assert response.status_code == 302
    assert not User.objects.filter(username="resident").exists()
    _nothing_left()
    _stats_kept(traces)
    assert PrivacyRequest.objects.filter(kind="erase", channel="account").exists()


def _mailed_link(client, email, mailoutbox, capture) -> str:
    with capture(execute=True):
        response = client.post(reverse("accounts:privacy_request"), {"email": email})
    assert response["Location"] == reverse("accounts:privacy_request_sent")
    link = re.search(r"http://\S+/konto/datenauskunft/\S+/", mailoutbox[-1].body)[0]
    assert mailoutbox[-1].to == [email.lower()]
    return link.removeprefix(settings.SITE_URL)


def test_email_request_exports_and_erases_without_an_account(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    email = "gast@example.org"
    traces = _traces(email)
    path = _mailed_link(client, "Gast@example.org", mailoutbox, django_capture_on_commit_callbacks)
    page = client.get(path)
    assert page.status_code == 200 and "Rosa Nachbarin" in page.content.decode()
    data = json.loads(client.get(path + "?format=json").content)
    assert set(data["data"]) == CATEGORIES - {"accounts.account"}
    assert data["account"] is None
    # Without the confirmation box nothing goes.
    assert client.post(path, {}).status_code == 422
    assert Registration.objects.filter(email=email).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"confirm": "on"})
    assert response.status_code == 200
    _nothing_left(email)
    _stats_kept(traces)
    # The resident's own data were not touched.
    assert User.objects.filter(username="resident").exists()


def test_email_request_covers_the_account_with_that_address(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    _traces()
    path = _mailed_link(client, ADDRESS, mailoutbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"confirm": "on"})
    assert not User.objects.filter(username="resident").exists()
    _nothing_left()


def test_email_request_keeps_a_staff_account_and_says_so(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    editor = world.users["editor"]
    path = _mailed_link(client, editor.email, mailoutbox, django_capture_on_commit_callbacks)
    response = client.post(path, {"confirm": "on"})
    assert response.status_code == 200
    assert "Rolle" in response.content.decode()
    assert User.objects.filter(pk=editor.pk).exists()


def test_request_form_answers_alike_and_refuses_bots(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bot = client.post(
            reverse("accounts:privacy_request"),
            {"email": "x@example.org", "website_url": "http://spam.example"},
        )
        bad = client.post(reverse("accounts:privacy_request"), {"email": "kein-at"})
    assert bot.status_code == bad.status_code == 422
    assert mailoutbox == []
    unknown = _mailed_link(
        client, "niemand@example.org", mailoutbox, django_capture_on_commit_callbacks
    )
    page = client.get(unknown)
    assert page.status_code == 200 and "keine Daten" in page.content.decode()


def test_request_mails_are_throttled_per_address(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        _mailed_link(client, "gast@example.org", mailoutbox, django_capture_on_commit_callbacks)
    response = client.post(reverse("accounts:privacy_request"), {"email": "gast@example.org"})
    assert response.status_code == 429
    assert len(mailoutbox) == 3


def test_bad_and_expired_links_show_nothing_and_erase_nothing(world, client, monkeypatch):
    _traces("gast@example.org")
    token = tokens.privacy_token("gast@example.org")
    for bad in (token[:-2] + "xx", "abc", tokens.privacy_token("kein-at")):
        url = reverse("accounts:privacy_data", kwargs={"token": bad})
        assert client.get(url).status_code == 400
        assert client.post(url, {"confirm": "on"}).status_code == 400
    # A token of another purpose (the sign-up link) is refused too.
    other = tokens.activation_token(world.users["resident"])
    assert client.get(reverse("accounts:privacy_data", kwargs={"token": other})).status_code == 400
    old = time.time() - tokens.PRIVACY_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: old)
    expired = tokens.privacy_token("gast@example.org")
    monkeypatch.undo()
    response = client.post(
        reverse("accounts:privacy_data", kwargs={"token": expired}), {"confirm": "on"}
    )
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()
    assert Registration.objects.filter(email__iexact="gast@example.org").count() == 2
    assert not PrivacyRequest.objects.exists()


def test_admin_handles_a_letter_and_the_request_is_recorded(world):
    traces = _traces("brief@example.org")
    client = world.client("admin")
    url = reverse("backoffice:accounts:privacy")
    form = {"email": "brief@example.org", "reference": "Brief vom 1.12., Az. 4711"}
    assert client.post(url, {**form, "action": "export"}).status_code == 422  # unconfirmed
    page = client.post(url, {**form, "action": "export", "confirm": "on", "format": "html"})
    assert page.status_code == 200 and "Rosa Nachbarin" in page.content.decode()
    data = json.loads(
        client.post(url, {**form, "action": "export", "confirm": "on", "format": "json"}).content
    )
    assert set(data["data"]) == CATEGORIES - {"accounts.account"}
    response = client.post(url, {**form, "action": "erase", "confirm": "on"})
    assert response.status_code == 200
    _nothing_left("brief@example.org")
    _stats_kept(traces)
    record = PrivacyRequest.objects.get(kind="erase")
    assert record.channel == "letter" and record.handled_by == world.users["admin"]
    assert record.reference == form["reference"] and record.records >= 5
    listing = client.get(url)
    assert "Az. 4711" in listing.content.decode()


@pytest.mark.parametrize("role", ["resident", "editor", "coordinator", "planner"])
def test_only_admins_handle_letters(world, role):
    _traces("brief@example.org")
    client = world.client(role)
    url = reverse("backoffice:accounts:privacy")
    data = {"email": "brief@example.org", "reference": "x", "action": "erase", "confirm": "on"}
    assert client.post(url, data).status_code == 403
    assert client.get(reverse("backoffice:accounts:processing_register")).status_code == 403
    assert Registration.objects.filter(email="brief@example.org").exists()


def test_every_category_says_what_the_register_needs():
    entries = privacy.register()
    keys = {entry["key"] for entry in entries}
    assert CATEGORIES | {"directory.person", "networks.delegate"} <= keys
    for entry in entries:
        for field in ("name", "purpose", "data", "subjects", "recipients", "retention"):
            assert entry[field], (entry["key"], field)
    assert any(e["applied_by"].endswith("accounts.retention)") for e in entries)


def test_export_and_erase_hooks_answer_for_every_category():
    subject = privacy.Subject.for_email("niemand@example.org")
    declared = {c.key for _label, c in privacy.categories()}
    for _label, module in privacy.hooks():
        for key in module.export(subject):
            assert key in declared
    assert privacy.erase_data(subject) is not None


def test_contact_person_is_exported_not_erased(world, client, mailoutbox):
    person = world.person
    subject = privacy.Subject.for_email(person.email) if person.email else None
    if subject is None:
        pytest.skip("the world's person has no address")
    data = privacy.export_data(subject)
    assert "directory.person" in data["data"]
    privacy.erase_data(subject)
    person.refresh_from_db()
    assert subject.notes


def test_erasure_stays_within_budget(world, django_assert_max_num_queries):
    _traces("gast@example.org")
    subject = privacy.Subject.for_email("gast@example.org")
    with django_assert_max_num_queries(80):
        privacy.export_data(subject)


def test_recent_requests_expire(world):
    from quartier.accounts import retention

    PrivacyRequest.objects.create(kind="export", channel="email", address_digest="x")
    old = PrivacyRequest.objects.create(kind="erase", channel="email", address_digest="y")
    PrivacyRequest.objects.filter(pk=old.pk).update(
        created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    counts = retention.purge(dry_run=True)
    assert counts["records of data subject requests"] == 1
    assert PrivacyRequest.objects.count() == 2
    retention.purge(dry_run=False)
    assert list(PrivacyRequest.objects.values_list("kind", flat=True)) == ["export"]


def test_consent_is_recorded_with_time_and_text_version(world, client):
    from quartier.core.models import ConsentRecord
    from quartier.events.forms import RegistrationForm

    event = EventFactory(starts_at=in_days(5), registration_required=True, capacity=5)
    response = client.post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {"name": "Rosa Nachbarin", "email": "gast@example.org", "consent": "on"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="gast@example.org")
    [record] = ConsentRecord.objects.filter(purpose="events.registration")
    assert record.purpose == "events.registration" and record.object_id == registration.pk
    assert record.text.startswith("Ich bin einverstanden") and record.language == "de"
    label = RegistrationForm.base_fields["consent"].label
    assert record.version == privacy_consent_version(label) and len(record.version) == 12
    exported = privacy.export_data(privacy.Subject.for_email("gast@example.org"))
    assert record.version in exported["data"]["events.registration"]["records"][0]["consent"]
    # The consent record goes with the registration (retention), not before.
    registration.delete()
    assert not ConsentRecord.objects.filter(purpose="events.registration").exists()


def privacy_consent_version(text) -> str:
    from quartier.core.consent import version

    return version(text)


def test_new_categories_are_in_the_register_with_their_retention():
    entries = {entry["key"]: entry for entry in privacy.register()}
    assert entries["concerns.reporter"]["applied_by"].endswith("concerns.retention)")
    assert entries["publications.subscriber"]["applied_by"].endswith("publications.retention)")
    assert entries["concerns.reporter"]["kept"] and entries["publications.subscriber"]["kept"]


def test_concern_alert_and_newsletter_consents_are_recorded(world, client):
    from quartier.alerts import services as alert_services
    from quartier.alerts import tokens as alert_tokens
    from quartier.alerts.models import CONSENT_TEXT
    from quartier.concerns.forms import ReportForm
    from quartier.core.consent import version
    from quartier.publications import services as newsletter_services
    from quartier.publications import tokens as newsletter_tokens
    from tests.factories.publications import NewsletterListFactory

    # Consents of other people in the shared world (participation, district fund) stay.
    others = set(ConsentRecord.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("concerns:report"),
        {
            "category": world.concern_category.pk,
            "description": "Der Gehweg am Markt ist seit Tagen aufgerissen.",
            "area": world.district.pk,
            "contact_consent": "on",
            "reporter_email": "gast@example.org",
        },
    )
    assert response.status_code == 302
    concern = Concern.objects.get(reporter_email="gast@example.org")
    [record] = concern.consents.all()
    assert record.purpose == "concerns.reporter" and record.given_at is not None
    assert record.version == version(ReportForm.base_fields["contact_consent"].label)
    # Without consent to replies nothing is stored, and no consent is recorded.
    client.post(
        reverse("concerns:report"),
        {
            "category": world.concern_category.pk,
            "description": "Die Laterne am Spielplatz ist aus.",
            "area": world.district.pk,
            "reporter_email": "anders@example.org",
        },
    )
    assert ConsentRecord.objects.filter(purpose="concerns.reporter").count() == 1

    alert = alert_services.subscription_create(
        user=None,
        email="gast@example.org",
        kind="search",
        frequency="weekly",
        language="de",
        query="Tafel",
    ).subscription
    assert not alert.consents.exists()  # not before the link is followed (double opt-in)
    alert_services.subscription_confirm(token=alert_tokens.confirm_token(alert))
    alert_services.subscription_confirm(token=alert_tokens.confirm_token(alert))
    [record] = alert.consents.all()
    assert record.purpose == "alerts.subscription" and record.version == version(CONSENT_TEXT)

    newsletter = NewsletterListFactory(consent_text="Ich möchte den Viertelbrief.")
    subscriber = newsletter_services.subscriber_sign_up(
        newsletter=newsletter, email="Gast@example.org", language="de"
    ).subscriber
    assert not subscriber.consents.exists()
    newsletter_services.subscriber_confirm(token=newsletter_tokens.confirm_token(subscriber))
    [record] = subscriber.consents.all()
    assert record.text == "Ich möchte den Viertelbrief." and record.version == version(
        "Ich möchte den Viertelbrief."
    )

    exported = privacy.export_data(privacy.Subject.for_email("gast@example.org"))["data"]
    for key in ("concerns.reporter", "alerts.subscription", "publications.subscriber"):
        assert exported[key]["records"][0]["consent"], key
    privacy.erase_data(privacy.Subject.for_email("gast@example.org"))
    # Deleted rows take their consent records; the anonymised concern keeps its own.
    left = ConsentRecord.objects.exclude(pk__in=others)
    assert set(left.values_list("purpose", flat=True)) == {"concerns.reporter"}
