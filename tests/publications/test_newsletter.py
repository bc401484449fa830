"""Newsletter sign-up with double opt-in, unsubscribe, manage, bounces, retention."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartier.publications import retention, services, tokens
from quartier.publications.models import Subscriber
from tests.factories.publications import NewsletterListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def post(newsletter, email="anna@example.org", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("publications:subscribe", kwargs={"slug": newsletter.slug}),
                {"email": email, "consent": "on", **extra},
            )

    return post


def _link(body: str, part: str) -> str:
    line = next(line for line in body.splitlines() if f"/newsletter/{part}/" in line)
    return line.strip().removeprefix("http://127.0.0.1:8000")


def test_double_opt_in_records_consent_time_and_text_version(client, sign_up):
    newsletter = NewsletterListFactory(consent_text="Version eins", consent_version=3)
    response = sign_up(newsletter, email="Anna@Example.org")
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "anna@example.org" and subscriber.confirmed_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.org"]
    confirm = _link(mail.outbox[0].body, "bestaetigen")
    assert client.get(confirm).status_code == 200  # a button, no change (mail scanners)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
    assert client.post(confirm).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert (subscriber.consent_version, subscriber.consent_text) == (3, "Version eins")


def test_signing_up_twice_keeps_one_row_and_says_the_same(sign_up):
    newsletter = NewsletterListFactory()
    first = sign_up(newsletter)
    second = sign_up(newsletter)
    assert first.context["text"] == second.context["text"]
    assert Subscriber.objects.count() == 1
    subscriber = Subscriber.objects.get()
    subscriber.confirmed_at = timezone.now()
    subscriber.save()
    third = sign_up(newsletter)
    assert third.context["text"] == first.context["text"]  # strangers learn nothing
    assert "subscribed already" in mail.outbox[-1].subject or "bereits" in mail.outbox[-1].subject
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


def test_sign_up_needs_consent_and_an_address_and_no_honeypot(sign_up):
    newsletter = NewsletterListFactory()
    assert sign_up(newsletter, email="kein-mail").status_code == 400
    assert sign_up(newsletter, consent="").status_code == 400
    assert sign_up(newsletter, website_url="http://spam.example").status_code == 400
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_closed_newsletter_takes_no_sign_ups(client):
    newsletter = NewsletterListFactory(is_active=False)
    url = reverse("publications:subscribe", kwargs={"slug": newsletter.slug})
    assert client.get(url).status_code == 404


def test_unsubscribe_twice_and_tampered(client):
    subscriber = SubscriberFactory()
    url = reverse(
        "publications:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscriber)}
    )
    first = client.post(url)
    assert first.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    again = client.post(url)
    assert again.status_code == 200 and again.context["title"] != first.context["title"]
    tampered = url.replace(url.rstrip("/").rsplit("/", 1)[-1], "MQ:abc:def")
    assert client.post(tampered).status_code == 400
    assert client.get(tampered).status_code == 400
    # A token of another purpose does not unsubscribe.
    other = SubscriberFactory()
    wrong = reverse("publications:unsubscribe", kwargs={"token": tokens.confirm_token(other)})
    assert client.post(wrong).status_code == 400
    other.refresh_from_db()
    assert other.unsubscribed_at is None


def test_signing_up_after_unsubscribing_needs_a_new_confirmation(sign_up):
    subscriber = SubscriberFactory(email="anna@example.org", unsubscribed_at=timezone.now())
    sign_up(subscriber.newsletter)
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None and subscriber.confirmed_at is None
    assert subscriber.consent_version is None


def test_the_manage_page_lists_the_addresss_newsletters_only(client):
    mine = SubscriberFactory(email="anna@example.org")
    also = SubscriberFactory(email="anna@example.org")
    SubscriberFactory(email="bernd@example.org")
    page = client.get(reverse("publications:manage", kwargs={"token": tokens.manage_token(mine)}))
    content = page.content.decode()
    assert mine.newsletter.name in content and also.newsletter.name in content
    assert "bernd" not in content and "anna@example.org" not in content


def test_the_bounce_webhook_needs_the_token(client, settings):
    settings.QUARTIER_NEWSLETTER_BOUNCE_TOKEN = "geheim"
    subscriber = SubscriberFactory(email="weg@example.org")
    url = reverse("publications:bounces")
    body = json.dumps({"email": "WEG@example.org", "permanent": True})
    assert client.post(url, body, content_type="application/json").status_code == 403
    wrong = client.post(
        url, body, content_type="application/json", headers={"Authorization": "Bearer falsch"}
    )
    assert wrong.status_code == 403
    bad = client.post(
        url, "{", content_type="application/json", headers={"Authorization": "Bearer geheim"}
    )
    assert bad.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.bounced_at is None
    ok = client.post(
        url, body, content_type="application/json", headers={"Authorization": "Bearer geheim"}
    )
    assert ok.status_code == 200 and ok.json() == {"marked": 1}
    subscriber.refresh_from_db()
    assert subscriber.bounced_at is not None


def test_temporary_bounces_mark_an_address_after_the_limit():
    subscriber = SubscriberFactory(email="voll@example.org")
    for _ in range(services.SOFT_BOUNCE_LIMIT - 1):
        assert services.bounce_record(email="voll@example.org", permanent=False) == 0
    assert services.bounce_record(email="voll@example.org", permanent=False) == 1
    subscriber.refresh_from_db()
    assert subscriber.bounced_at is not None


def test_the_purge_deletes_unsubscribed_bounced_and_unconfirmed_after_retention(settings):
    settings.QUARTIER_NEWSLETTER_RETENTION_DAYS = 30
    old = timezone.now() - dt.timedelta(days=31)
    recent = timezone.now() - dt.timedelta(days=5)
    gone = [
        SubscriberFactory(unsubscribed_at=old),
        SubscriberFactory(bounced_at=old),
        SubscriberFactory(confirmed_at=None),
    ]
    Subscriber.objects.filter(pk=gone[2].pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    kept = [
        SubscriberFactory(unsubscribed_at=recent),
        SubscriberFactory(bounced_at=recent),
        SubscriberFactory(confirmed_at=None),
        SubscriberFactory(),
    ]
    counts = retention.purge(dry_run=True)
    assert sum(counts.values()) == 3
    assert Subscriber.objects.count() == 7
    retention.purge()
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {s.pk for s in kept}


def test_the_confirmation_expires_after_a_week(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    token = tokens.confirm_token(subscriber)
    from unittest import mock

    later = timezone.now().timestamp() + 8 * 86400
    with mock.patch("time.time", return_value=later):
        response = client.post(reverse("publications:confirm", kwargs={"token": token}))
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_a_rolled_back_sign_up_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    newsletter = NewsletterListFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.subscriber_sign_up(newsletter=newsletter, email="a@example.org", language="de")
        raise RuntimeError
    assert not callbacks and not mail.outbox and not Subscriber.objects.exists()


def _dsn(address: str, action: str, status: str) -> bytes:
    return (
        "From: MAILER-DAEMON@example.org\n"
        "To: quartier@localhost\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nSorry.\n\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mail.example.org\n\n"
        f"Final-Recipient: rfc822; {address}\nAction: {action}\nStatus: {status}\n\n"
        "--B--\n"
    ).encode()


def test_the_bounce_command_reads_a_mailbox(tmp_path):
    import mailbox

    from django.core.management import call_command

    hard = SubscriberFactory(email="hart@example.org")
    soft = SubscriberFactory(email="weich@example.org")
    box = mailbox.mbox(tmp_path / "bounces")
    box.add(_dsn("hart@example.org", "failed", "5.1.1"))
    box.add(_dsn("weich@example.org", "delayed", "4.2.2"))
    box.add(b"From: someone@example.org\nSubject: Urlaub\n\nIch bin im Urlaub.\n")
    box.flush()
    box.close()
    call_command("newsletter_bounces", str(tmp_path / "bounces"))
    hard.refresh_from_db()
    soft.refresh_from_db()
    assert hard.bounced_at is not None
    assert soft.bounced_at is None and soft.soft_bounces == 1
    left = mailbox.mbox(tmp_path / "bounces")
    try:
        assert len(left) == 0
    finally:
        left.close()
