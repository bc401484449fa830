import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from quartier.networks.models import Invitation, JoinRequest, Meeting, Membership
from quartier.networks.tokens import rsvp_token


def test_public_page_shows_members_contact_and_next_meeting(world, django_assert_max_num_queries):
    client = world.client("anonymous")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("networks:body", kwargs={"slug": world.body.slug}))
    html = response.content.decode()
    assert world.organisation.name in html
    assert world.other_organisation.name in html
    assert "Netzwerktreffen Herbst" in html
    assert world.person.email in html  # marked public on the person
    assert world.person.phone not in html  # not public
    assert 'type="text/calendar"' in html


def test_private_body_is_hidden_from_the_public(world):
    world.body.is_public = False
    world.body.save()
    url = reverse("networks:body", kwargs={"slug": world.body.slug})
    assert world.client("anonymous").get(url).status_code == 404
    assert world.client("editor").get(url).status_code == 200


def test_join_request_then_decision_mails_the_organisation(
    world, django_capture_on_commit_callbacks
):
    world.membership.delete()  # world.organisation is no longer a member
    client = world.client("editor")
    url = reverse("networks:join", kwargs={"slug": world.body.slug})
    response = client.post(url, {"organisation": world.organisation.pk, "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"organisation": world.organisation.pk, "reason": "Wir sind neu."})
    assert response.status_code == 302
    request = JoinRequest.objects.get(organisation=world.organisation)
    again = client.post(url, {"organisation": world.organisation.pk, "reason": "Nochmal"})
    assert "bereits" in again.content.decode()
    mail.outbox.clear()
    decide = reverse(
        "backoffice:networks:join_request_decide",
        kwargs={"slug": world.body.slug, "pk": request.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        world.client("planner").post(decide, {"accept": "1", "message": "Herzlich willkommen"})
    assert (
        Membership.objects.current()
        .filter(body=world.body, organisation=world.organisation)
        .exists()
    )
    assert world.organisation.email in mail.outbox[0].to
    assert "Herzlich willkommen" in mail.outbox[0].body


def test_contact_form_forwards_and_stores_nothing(world, django_capture_on_commit_callbacks):
    url = reverse("networks:contact", kwargs={"slug": world.body.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("anonymous").post(
            url,
            {
                "name": "Anwohnerin",
                "email": "a@example.org",
                "message": "Der Spielplatz ist kaputt.",
            },
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == [world.body.contact_email]
    assert mail.outbox[0].reply_to == ["a@example.org"]
    assert world.client("anonymous").post(url, {"email": "kaputt"}).status_code == 400


def test_rsvp_link_twice_is_idempotent(world):
    url = reverse("networks:rsvp", kwargs={"token": rsvp_token(world.invitation, "yes")})
    client = world.client("anonymous")
    page = client.get(url)
    assert page.status_code == 200
    world.invitation.refresh_from_db()
    assert world.invitation.answer == Invitation.Answer.NONE  # GET changes nothing
    first = client.post(url)
    assert "wurde gespeichert" in first.content.decode()
    second = client.post(url)
    assert second.status_code == 200
    assert "bereits gespeichert" in second.content.decode()
    world.invitation.refresh_from_db()
    assert world.invitation.answer == Invitation.Answer.YES


def test_tampered_rsvp_link_gets_a_clear_400(world):
    token = rsvp_token(world.invitation, "yes")
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for url in (
        reverse("networks:rsvp", kwargs={"token": tampered}),
        reverse("networks:rsvp", kwargs={"token": "kaputt"}),
    ):
        response = world.client("anonymous").post(url)
        assert response.status_code == 400
        assert "nicht gültig" in response.content.decode()
    world.invitation.refresh_from_db()
    assert world.invitation.answer == Invitation.Answer.NONE


def test_feeds_public_organisation_and_private(world):
    Meeting.objects.filter(pk=world.past_meeting.pk).update(is_public=False)
    body_feed = world.client("anonymous").get(
        reverse("networks:body_feed", kwargs={"slug": world.body.slug})
    )
    calendar = Calendar.from_ical(body_feed.content)
    titles = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any("Herbst" in t for t in titles) and not any("Sommer" in t for t in titles)
    private_url = reverse("networks:person_feed", kwargs={"token": world.calendar_token.token})
    private = Calendar.from_ical(world.client("anonymous").get(private_url).content)
    private_titles = [str(e["SUMMARY"]) for e in private.walk("VEVENT")]
    # The person's own feed holds members-only meetings too.
    assert any("Herbst" in t for t in private_titles)
    assert any("Sommer" in t for t in private_titles)
    world.calendar_token.revoked_at = timezone.now()
    world.calendar_token.save()
    assert world.client("anonymous").get(private_url).status_code == 404


def test_meeting_list_of_5000_meetings_has_bounded_queries(world, django_assert_max_num_queries):
    start = timezone.now() - datetime.timedelta(days=4000)
    Meeting.objects.bulk_create(
        Meeting(
            body=world.body,
            title=f"Treffen {i}",
            uid=f"bulk-{i}@test",
            start=start + datetime.timedelta(hours=12 * i),
            end=start + datetime.timedelta(hours=12 * i + 2),
        )
        for i in range(5000)
    )
    client = world.client("coordinator")
    url = reverse("backoffice:networks:body", kwargs={"slug": world.body.slug})
    with django_assert_max_num_queries(25):
        response = client.get(url + "?page=40")
    assert response.status_code == 200
    assert "Seite 40 von" in response.content.decode()


def test_body_feed_with_500_meetings_has_bounded_queries(world, django_assert_max_num_queries):
    start = timezone.now() - datetime.timedelta(days=300)
    Meeting.objects.bulk_create(
        Meeting(
            body=world.body,
            title=f"Treffen {i}",
            uid=f"feed-{i}@test",
            start=start + datetime.timedelta(days=i),
            end=start + datetime.timedelta(days=i, hours=2),
        )
        for i in range(500)
    )
    with django_assert_max_num_queries(3):
        response = world.client("anonymous").get(
            reverse("networks:body_feed", kwargs={"slug": world.body.slug})
        )
    assert len(list(Calendar.from_ical(response.content).walk("VEVENT"))) == 502
    # Calendar clients that poll with the ETag get a 304 without the feed being rebuilt.
    again = world.client("anonymous").get(
        reverse("networks:body_feed", kwargs={"slug": world.body.slug}),
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_overview_lists_stale_bodies_and_overdue_items(world, django_assert_max_num_queries):
    world.action_item.due_date = timezone.localdate() - datetime.timedelta(days=3)
    world.action_item.save()
    client = world.client("planner")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("backoffice:networks:overview"))
    html = response.content.decode()
    row = html[html.index(f"/verwaltung/networks/{world.body.slug}/") :]
    row = row[: row.index("</tr>")]
    assert "<strong>1</strong>" in row  # one overdue item


def test_yearly_report_as_page_and_pdf(world):
    year = timezone.localdate().year
    page = world.client("planner").get(reverse("backoffice:networks:report", kwargs={"year": year}))
    assert world.body.name in page.content.decode()
    pdf = world.client("planner").get(
        reverse("backoffice:networks:report_pdf", kwargs={"year": year})
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (
        world.client("planner")
        .get(reverse("backoffice:networks:report", kwargs={"year": 1900}))
        .status_code
        == 404
    )


def test_api_lists_public_bodies_and_meetings_only(world, django_assert_max_num_queries):
    client = world.client("anonymous")
    with django_assert_max_num_queries(3):
        listing = client.get(reverse("api:networks_body_list")).json()
    slugs = [b["slug"] for b in listing["items"]]
    assert world.body.slug in slugs
    detail = client.get(reverse("api:networks_body_detail", kwargs={"slug": world.body.slug}))
    names = {m["organisation"] for m in detail.json()["members"]}
    # The statements world adds a member with a signing delegate (tests/statements/world.py).
    extra = {world.statement_org.name} if "statement_org" in world.extra else set()
    assert names == {world.organisation.name, world.other_organisation.name, *extra}
    Meeting.objects.filter(pk=world.past_meeting.pk).update(is_public=False)
    meetings = client.get(
        reverse("api:networks_body_meetings", kwargs={"slug": world.body.slug})
    ).json()
    assert [m["title"] for m in meetings["items"]] == ["Netzwerktreffen Herbst"]
    world.body.is_public = False
    world.body.save()
    missing = client.get(reverse("api:networks_body_detail", kwargs={"slug": world.body.slug}))
    assert missing.status_code == 404
    assert "message" in missing.json()
