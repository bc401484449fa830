"""Concerns: the public form with its bad input, routing, tracking, the back office's actions,
mails after commit, retention."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from quartier.concerns import retention, selectors, services, tokens
from quartier.concerns.models import (
    Concern,
    CoordinatorSetting,
    NotifyChoice,
    RoutingRule,
    Source,
    Status,
)
from quartier.concerns.tasks import digests_send
from quartier.networks.models import Decision, Minutes, Visibility
from tests.factories.areas import AreaFactory, link, square
from tests.factories.concerns import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db

TEXT = "Der Gehweg am Markt ist seit Tagen aufgerissen."


def jpeg(*, exif: bool = False, size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, "blue")
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {1: "N", 2: (49.0, 45.0, 0.0)}  # GPS IFD
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def post_report(client, world, **extra):
    data = {"category": world.concern_category.pk, "description": TEXT, "area": world.district.pk}
    data.update(extra)
    return client.post(reverse("concerns:report"), data)


@pytest.fixture
def mapped(world):
    """An area with a boundary below the world's Stadtteil: a point inside it lands there."""
    area = AreaFactory(
        name="Am Stern", slug="am-stern", kind__slug="quartier", kind__level=4,
        boundary=square(6.60, 49.70, 0.05),
    )  # fmt: skip
    link(world.district, area)
    return area


# --- The public form -------------------------------------------------------------------------


def test_a_resident_reports_and_follows_the_concern(world, django_capture_on_commit_callbacks):
    client = world.client("anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(
            client, world, contact_consent="on", reporter_email="ada@example.org",
            reporter_name="Ada",
        )  # fmt: skip
    concern = Concern.objects.latest("pk")
    assert response.status_code == 302
    # Signed tokens carry their time of signing: compare what they name, not their text.
    location = response["Location"]
    assert tokens.concern_id(location.rstrip("/").rsplit("/", 1)[1]) == concern.pk
    assert concern.organisation == world.organisation and not concern.flagged
    assert concern.source == Source.WEB and concern.reporter_email == "ada@example.org"
    to = sorted(address for m in mail.outbox for address in m.to)
    assert "ada@example.org" in to  # the receipt with the tracking link
    receipt = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    link = next(w for w in receipt.body.split() if "/anliegen/verfolgen/" in w)
    assert tokens.concern_id(link.rstrip("/").rsplit("/", 1)[1]) == concern.pk
    # The world's coordinator and editor act for the organisation the rule names.
    assert {world.users["coordinator"].email, world.users["editor"].email} <= set(to)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert concern.number in page.content.decode()
    assert "ada@example.org" not in page.content.decode()


def test_without_consent_no_contact_data_is_kept(world):
    post_report(world.client("anonymous"), world, reporter_email="ada@example.org")
    concern = Concern.objects.latest("pk")
    assert concern.reporter_email == "" and not concern.contact_consent


def test_consent_without_an_address_is_refused(world):
    response = post_report(world.client("anonymous"), world, contact_consent="on")
    assert response.status_code == 400
    assert "E-Mail-Adresse" in response.content.decode() or "e-mail" in response.content.decode()


def test_a_point_finds_the_smallest_area_around_it(world, mapped):
    post_report(world.client("anonymous"), world, area="", lat="49.72", lon="6.62")
    assert Concern.objects.latest("pk").area == mapped


def test_a_point_outside_every_area_is_refused(world, mapped):
    before = Concern.objects.count()
    response = post_report(world.client("anonymous"), world, area="", lat="52.5", lon="13.4")
    assert response.status_code == 400
    assert Concern.objects.count() == before
    assert "außerhalb" in response.content.decode() or "outside" in response.content.decode()


def test_no_place_and_no_area_is_refused(world):
    response = post_report(world.client("anonymous"), world, area="")
    assert response.status_code == 400


def test_an_unknown_category_is_refused(world):
    before = Concern.objects.count()
    response = post_report(world.client("anonymous"), world, category="999999")
    assert response.status_code == 400 and Concern.objects.count() == before


def test_a_description_of_100000_characters_is_refused_clearly(world):
    before = Concern.objects.count()
    response = post_report(world.client("anonymous"), world, description="x" * 100_000)
    assert response.status_code == 400 and Concern.objects.count() == before
    assert "100000" in response.content.decode().replace(".", "")


def test_a_filled_honeypot_stores_nothing(world):
    before = Concern.objects.count()
    response = post_report(world.client("anonymous"), world, website_url="http://spam")
    assert response.status_code == 400 and Concern.objects.count() == before


def test_repeated_posts_from_one_client_are_refused(world):
    client = world.client("anonymous")
    codes = [post_report(client, world).status_code for _ in range(11)]
    assert codes[:10] == [302] * 10 and codes[10] == 429
    assert Concern.objects.filter(description=TEXT).count() == 10


def test_a_photo_is_reencoded_without_exif(world):
    upload = SimpleUploadedFile("handy.jpg", jpeg(exif=True), content_type="image/jpeg")
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()  # the control: the upload carries EXIF data
    upload.seek(0)
    response = post_report(world.client("anonymous"), world, photos=upload)
    assert response.status_code == 302
    photo = Concern.objects.latest("pk").photos.get()
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif() and "exif" not in stored.info


def test_a_file_that_is_no_image_is_refused(world):
    upload = SimpleUploadedFile("bild.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    before = Concern.objects.count()
    response = post_report(world.client("anonymous"), world, photos=upload)
    assert response.status_code == 400 and Concern.objects.count() == before
    assert "bild.jpg" in response.content.decode()


def test_a_photo_over_the_limit_is_refused(world, settings):
    settings.QUARTIER_CONCERNS_MAX_PHOTO_BYTES = 1000
    upload = SimpleUploadedFile("gross.jpg", jpeg(size=(400, 400)) + b"\0" * 2000)
    response = post_report(world.client("anonymous"), world, photos=upload)
    assert response.status_code == 400 and not Concern.objects.filter(description=TEXT).exists()


def test_a_50_mb_upload_is_refused_without_a_500(world):
    upload = SimpleUploadedFile("riesig.jpg", b"\xff" * (50 * 1024 * 1024))
    response = post_report(world.client("anonymous"), world, photos=upload)
    assert response.status_code in (400, 413)
    assert not Concern.objects.filter(description=TEXT).exists()


# --- Routing ---------------------------------------------------------------------------------


def test_the_most_specific_rule_wins(world, mapped):
    category = world.concern_category
    RoutingRule.objects.create(area=world.city, category=category, body=world.body)
    # The category rule of the city beats the world's any-category rule of the Stadtteil.
    assert selectors.route(area=mapped, category=category).body == world.body
    RoutingRule.objects.create(
        area=mapped, category=category, organisation=world.other_organisation
    )
    assert selectors.route(area=mapped, category=category).organisation == world.other_organisation
    other = CategoryFactory(slug="muell")
    assert selectors.route(area=mapped, category=other).organisation == world.organisation


def test_no_rule_lands_in_the_default_inbox_flagged(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reported = services.concern_report(
            category=world.concern_category, description=TEXT, area=world.other_city
        )
    assert reported.concern.flagged and reported.concern.target is None
    # Only the admin handles Anderstadt: no role of the world is told (no planner there).
    handled = reverse("backoffice:concerns:detail", kwargs={"pk": reported.concern.pk})
    assert world.client("coordinator").get(handled).status_code == 403
    assert world.client("admin").get(handled).status_code == 200


# --- Back office -----------------------------------------------------------------------------


def test_a_public_status_note_reaches_the_reporter(world, django_capture_on_commit_callbacks):
    url = reverse("backoffice:concerns:status", kwargs={"pk": world.concern.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(
            url,
            {"status": "forwarded", "forwarded_to": "Stadtwerke Trier", "note": "Bitte Geduld.",
             "note_public": "on"},
        )  # fmt: skip
    assert response.status_code == 302
    world.concern.refresh_from_db()
    assert world.concern.status == Status.FORWARDED
    assert world.concern.forwarded_on == timezone.localdate()
    assert [m.to for m in mail.outbox] == [[world.concern.reporter_email]]
    assert "Stadtwerke Trier" in mail.outbox[0].body
    page = world.client("anonymous").get(world.concern.get_absolute_url()).content.decode()
    assert "Stadtwerke Trier" in page and "Bitte Geduld." in page
    assert world.concern.history.count() >= 2  # the change is in the history


def test_an_internal_answer_stays_internal(world, django_capture_on_commit_callbacks):
    url = reverse("backoffice:concerns:answer", kwargs={"pk": world.concern.pk})
    with django_capture_on_commit_callbacks(execute=True):
        world.client("editor").post(url, {"text": "Nur für uns: Hausmeister fragen."})
    assert mail.outbox == []
    page = world.client("anonymous").get(world.concern.get_absolute_url()).content.decode()
    assert "Hausmeister" not in page


def test_a_merge_across_areas_is_refused(world):
    url = reverse("backoffice:concerns:merge", kwargs={"pk": world.concern.pk})
    response = world.client("admin").post(url, {"into": world.other_concern.pk})
    assert response.status_code == 400
    assert "Gebieten" in response.content.decode() or "areas" in response.content.decode()
    world.concern.refresh_from_db()
    assert world.concern.status != Status.MERGED


def test_a_duplicate_is_merged_and_points_to_the_other(world):
    duplicate = ConcernFactory(category=world.concern_category, area=world.district)
    url = reverse("backoffice:concerns:merge", kwargs={"pk": duplicate.pk})
    response = world.client("coordinator").post(url, {"into": world.concern.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == world.concern
    page = world.client("anonymous").get(duplicate.get_absolute_url()).content.decode()
    assert world.concern.get_absolute_url() in page
    listed = world.client("anonymous").get(reverse("concerns:list")).content.decode()
    assert duplicate.get_absolute_url() not in listed


def test_a_merge_into_a_concern_one_does_not_handle_is_refused(world):
    url = reverse("backoffice:concerns:merge", kwargs={"pk": world.concern.pk})
    response = world.client("coordinator").post(url, {"into": world.other_concern.pk})
    assert response.status_code == 400


def test_the_agenda_and_the_decision_on_the_tracking_page(world):
    url = reverse("backoffice:concerns:agenda", kwargs={"pk": world.concern.pk})
    response = world.client("coordinator").post(url, {"meeting": world.meeting.pk})
    assert response.status_code == 302
    world.concern.refresh_from_db()
    item = world.concern.agenda_item
    assert item.meeting == world.meeting and world.concern.number in item.title
    minutes = Minutes.objects.create(
        meeting=world.meeting, text="Protokoll", status=Minutes.Status.APPROVED,
        visibility=Visibility.PUBLIC, approved_at=timezone.now(),
    )  # fmt: skip
    Decision.objects.create(minutes=minutes, agenda_item=item, text="Begehung am Montag.")
    page = world.client("anonymous").get(tokens.track_url(world.concern, absolute=False))
    assert "Begehung am Montag." in page.content.decode()


def test_a_draft_decision_does_not_show(world):
    services.concern_put_on_agenda(
        concern=world.concern, meeting=world.meeting, user=world.users["coordinator"]
    )
    world.concern.refresh_from_db()
    minutes = Minutes.objects.create(meeting=world.meeting, text="Entwurf")
    Decision.objects.create(minutes=minutes, agenda_item=world.concern.agenda_item, text="Geheim")
    page = world.client("anonymous").get(world.concern.get_absolute_url()).content.decode()
    assert "Geheim" not in page


def test_the_reporter_can_delete_the_contact_data(world):
    url = tokens.track_url(world.concern, absolute=False)
    assert world.client("anonymous").post(url).status_code == 302
    world.concern.refresh_from_db()
    assert world.concern.reporter_email == "" and world.concern.contact_purged_at


def test_a_forged_tracking_link_is_404(world):
    token = tokens.track_token(world.concern)
    url = reverse("concerns:track", kwargs={"token": token[:-2] + "xx"})
    assert world.client("anonymous").get(url).status_code == 404


# --- Notifications ---------------------------------------------------------------------------


def test_the_daily_digest(world, django_capture_on_commit_callbacks):
    coordinator = world.users["coordinator"]
    CoordinatorSetting.objects.create(user=coordinator, notify=NotifyChoice.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_report(
            category=world.concern_category, description=TEXT, area=world.district
        )
    assert coordinator.email not in [a for m in mail.outbox for a in m.to]  # not at once
    mail.outbox.clear()
    assert digests_send(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    assert mail.outbox[0].to == [coordinator.email] and TEXT[:20] in mail.outbox[0].body
    mail.outbox.clear()
    assert digests_send(now=timezone.now() + dt.timedelta(minutes=2)) == 0  # nothing new


# --- Public list, map, nearby ----------------------------------------------------------------


def test_the_geojson_rounds_and_filters(world):
    url = reverse("concerns:geojson")
    data = world.client("anonymous").get(url, {"bbox": "6.5,49.7,6.7,49.8"}).json()
    [feature] = [f for f in data["features"] if f["properties"]["id"] == world.concern.pk]
    assert feature["geometry"]["coordinates"] == [6.641, 49.756]
    assert "reporter" not in str(feature)
    empty = world.client("anonymous").get(url, {"bbox": "7,50,7.1,50.1"}).json()
    assert empty["features"] == []
    bad = world.client("anonymous").get(url, {"bbox": "abc"})
    assert bad.status_code == 400 and "message" in bad.json()


def test_the_list_filters_by_status(world):
    url = reverse("concerns:list")
    page = world.client("anonymous").get(url, {"status": "solved"}).content.decode()
    assert world.concern.get_absolute_url() not in page
    page = world.client("anonymous").get(url, {"status": "received"}).content.decode()
    assert world.concern.get_absolute_url() in page


def test_nearby_finds_open_concerns(world):
    url = reverse("concerns:nearby")
    data = world.client("anonymous").get(url, {"lat": "49.7562", "lon": "6.6413"}).json()
    assert [f["properties"]["id"] for f in data["features"]] == [world.concern.pk]
    fragment = world.client("anonymous").get(
        url, {"lat": "49.7562", "lon": "6.6413"}, headers={"HX-Request": "true"}
    )
    assert world.concern.get_absolute_url() in fragment.content.decode()


# --- Retention -------------------------------------------------------------------------------


def test_contact_data_is_purged_180_days_after_closing(world):
    now = timezone.now()
    old = ConcernFactory(
        area=world.district, reporter_email="alt@example.org", contact_consent=True,
        status=Status.SOLVED, closed_at=now - dt.timedelta(days=181),
    )  # fmt: skip
    recent = ConcernFactory(
        area=world.district, reporter_email="neu@example.org", contact_consent=True,
        status=Status.SOLVED, closed_at=now - dt.timedelta(days=179),
    )  # fmt: skip
    assert retention.purge(dry_run=True) == {"reporters' contact data of closed concerns": 1}
    old.refresh_from_db()
    assert old.reporter_email == "alt@example.org"  # a dry run changes nothing
    retention.purge()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.reporter_email == "" and old.contact_purged_at is not None
    assert recent.reporter_email == "neu@example.org"
    world.concern.refresh_from_db()
    assert world.concern.reporter_email  # open: kept
    assert not any(
        "alt@example.org" in str(record.__dict__) for record in old.history.all()
    )  # never in the history


def test_the_retention_is_configurable(world, settings):
    settings.QUARTIER_CONCERNS_CONTACT_RETENTION_DAYS = 10
    ConcernFactory(
        area=world.district, reporter_email="alt@example.org", contact_consent=True,
        status=Status.NOT_OURS, closed_at=timezone.now() - dt.timedelta(days=11),
    )  # fmt: skip
    assert sum(retention.purge().values()) == 1


# --- Subscriptions (the alerts app's double opt-in) ------------------------------------------


def test_residents_subscribe_to_new_concerns_of_an_area(world, django_capture_on_commit_callbacks):
    from quartier.alerts.models import Subscription
    from quartier.alerts.services import digests_send as alert_digests
    from quartier.alerts.tokens import confirm_url

    listed = world.client("anonymous").get(reverse("concerns:list"), {"area": "nordviertel"})
    assert "source=concerns&amp;alert_area=nordviertel" in listed.content.decode()
    create = reverse("alerts:create")
    form = world.client("anonymous").get(
        create, {"source": "concerns", "alert_area": "nordviertel"}
    )
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("anonymous").post(
            create,
            {"email": "anwohner@example.org", "alert_area": "nordviertel", "source": "concerns",
             "frequency": "daily"},
        )  # fmt: skip
    assert response.status_code == 200
    subscription = Subscription.objects.get(email="anwohner@example.org")
    assert subscription.source == "concerns" and subscription.confirmed_at is None
    assert confirm_url(subscription) in mail.outbox[-1].body  # double opt-in
    subscription.confirmed_at = timezone.now() - dt.timedelta(days=2)
    subscription.save()
    mail.outbox.clear()
    services.concern_report(category=world.concern_category, description=TEXT, area=world.district)
    assert alert_digests(frequency="daily", now=timezone.now()) == 1
    [digest] = [m for m in mail.outbox if m.to == ["anwohner@example.org"]]
    assert TEXT[:30] in digest.body and "Nordviertel" in digest.subject


def test_a_concerns_alert_needs_an_area(world):
    response = world.client("anonymous").post(
        reverse("alerts:create"),
        {"email": "x@example.org", "source": "concerns", "frequency": "daily"},
    )
    assert response.status_code == 400
