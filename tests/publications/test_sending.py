"""Sending an issue's e-mail edition through a real SMTP server (aiosmtpd started here)."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail

from quartier.core import tokens as core_tokens
from quartier.publications import services, tokens
from quartier.publications.models import (
    DeliveryFailure,
    Mailing,
    MailingStatus,
    Subscriber,
)
from quartier.publications.tasks import mailing_send
from tests.factories.accounts import UserFactory
from tests.factories.publications import (
    ArticleFactory,
    IssueFactory,
    NewsletterListFactory,
    PostFactory,
    SubscriberFactory,
)
from tests.publications.smtp import Sink, SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """services.mailing_start with the queued task run (the test's transaction never commits)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.mailing_start(**kwargs)

    return run


@pytest.fixture
def smtp(settings):
    sink = Sink()
    with SmtpServer(sink) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 10
        yield sink


def _issue_with_list(subscribers: int = 3):
    newsletter = NewsletterListFactory()
    issue = IssueFactory(organisation=newsletter.organisation)
    post = PostFactory(
        organisation=newsletter.organisation,
        image="publications/2026/bild.jpg",
        image_alt="Ein Bild",
    )
    ArticleFactory(issue=issue, title="Neuer Spielplatz", post=post, text="<p>Er ist da.</p>")
    people = [SubscriberFactory(newsletter=newsletter) for _ in range(subscribers)]
    return issue, newsletter, people


def test_the_edition_goes_through_smtp_with_one_click_unsubscribe(start, smtp):
    issue, newsletter, people = _issue_with_list(3)
    SubscriberFactory(newsletter=newsletter, confirmed_at=None)  # not confirmed: nothing
    SubscriberFactory(newsletter=newsletter, unsubscribed_at="2026-01-01T00:00Z")

    mailing = start(issue=issue, newsletter=newsletter, user=UserFactory())

    mailing.refresh_from_db()
    assert (mailing.status, mailing.total, mailing.sent, mailing.failed) == (
        MailingStatus.DONE, 3, 3, 0
    )  # fmt: skip
    assert sorted(smtp.recipients) == sorted(person.email for person in people)
    message = smtp.messages[0]
    person = Subscriber.objects.get(email=str(message["To"]))
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http://127.0.0.1:8000/newsletter/abmelden/")
    assert unsubscribe.endswith(">")
    token = unsubscribe.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert tokens.read_unsubscribe(token) == person.pk
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"].startswith(newsletter.name)
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert "Neuer Spielplatz" in text and "Er ist da." in text
    assert issue.get_absolute_url() in text and issue.get_absolute_url() in html
    # Images referenced by absolute URL with their text, not attached.
    assert 'src="http://127.0.0.1:8000/media/publications/2026/bild.jpg"' in html
    assert 'alt="Ein Bild"' in html
    assert "image/" not in {part.get_content_type() for part in message.walk()}
    assert "/newsletter/verwalten/" in text and "/newsletter/verwalten/" in html

    # The one-click unsubscribe: a POST without session or CSRF token.
    from django.test import Client

    path = unsubscribe.strip("<>").removeprefix("http://127.0.0.1:8000")
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.unsubscribed_at is not None


def test_a_refused_recipient_is_recorded_and_the_batch_goes_on(start, smtp, settings):
    settings.QUARTIER_NEWSLETTER_BATCH = 2
    issue, newsletter, people = _issue_with_list(5)
    smtp.refuse.add(people[1].email)
    smtp.temporary[people[3].email] = 1  # fails once, then is taken

    mailing = start(issue=issue, newsletter=newsletter, user=None)

    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent, mailing.failed) == (MailingStatus.DONE, 4, 1)
    assert sorted(smtp.recipients) == sorted(p.email for p in people if p != people[1])
    failure = DeliveryFailure.objects.get(mailing=mailing)
    assert failure.subscriber == people[1] and failure.error.startswith("550")
    people[1].refresh_from_db()
    assert people[1].bounced_at is not None  # no further mailings
    assert mailing.last_subscriber_id == people[-1].pk


def test_a_recipient_failing_every_attempt_is_recorded(start, smtp, settings):
    settings.QUARTIER_NEWSLETTER_ATTEMPTS = 2
    issue, newsletter, people = _issue_with_list(2)
    smtp.temporary[people[0].email] = 5

    mailing = start(issue=issue, newsletter=newsletter, user=None)

    mailing.refresh_from_db()
    assert (mailing.sent, mailing.failed) == (1, 1)
    assert DeliveryFailure.objects.get().error.startswith("451")
    people[0].refresh_from_db()
    assert people[0].bounced_at is None  # a passing failure does not mark the address


def test_the_server_down_fails_deliveries_without_a_500(start, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    from tests.publications.smtp import free_port

    settings.EMAIL_PORT = free_port()  # nothing listens
    settings.QUARTIER_NEWSLETTER_ATTEMPTS = 1
    issue, newsletter, _people = _issue_with_list(2)
    mailing = start(issue=issue, newsletter=newsletter, user=None)
    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent, mailing.failed) == (MailingStatus.DONE, 0, 2)


def test_a_restarted_worker_resumes_after_the_last_batch():
    issue, newsletter, people = _issue_with_list(3)
    mailing = Mailing.objects.create(
        issue=issue, newsletter=newsletter, total=3, sent=1, last_subscriber_id=people[0].pk
    )
    mailing_send.call(mailing.pk)
    mailing.refresh_from_db()
    assert mailing.sent == 3
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(p.email for p in people[1:])


def test_each_subscriber_gets_the_frame_in_their_language():
    issue, newsletter, people = _issue_with_list(2)
    Subscriber.objects.filter(pk=people[1].pk).update(language="en")
    mailing = Mailing.objects.create(issue=issue, newsletter=newsletter, total=2)
    mailing_send.call(mailing.pk)
    by_address = {message.to[0]: message.body for message in django_mail.outbox}
    assert "Abmelden:" in by_address[people[0].email]
    assert "Unsubscribe:" in by_address[people[1].email]
    # The articles stay as written.
    assert all("Neuer Spielplatz" in body for body in by_address.values())


def test_the_manage_page_sets_the_language_of_every_list_of_the_address(client):
    from django.urls import reverse

    mine = SubscriberFactory(email="anna@example.org")
    also = SubscriberFactory(email="anna@example.org")
    other = SubscriberFactory(email="bernd@example.org")
    url = reverse("publications:manage", kwargs={"token": tokens.manage_token(mine)})
    page = client.post(url, {"language": "en"})
    assert page.status_code == 200
    assert {s.language for s in Subscriber.objects.filter(email="anna@example.org")} == {"en"}
    other.refresh_from_db()
    assert other.language == "de"
    bad = client.post(url, {"language": "xx"})
    assert bad.status_code == 400
    assert {s.language for s in Subscriber.objects.filter(pk__in=[mine.pk, also.pk])} == {"en"}
    forged = client.post(
        reverse("publications:manage", kwargs={"token": "x:y"}), {"language": "de"}
    )
    assert forged.status_code == 400
    assert Subscriber.objects.get(pk=mine.pk).language == "en"


def test_sending_streams_the_recipients_in_batches(settings, django_assert_max_num_queries):
    """Queries grow with the number of batches, not of recipients (keyset pages)."""
    settings.QUARTIER_NEWSLETTER_BATCH = 50
    issue, newsletter, _people = _issue_with_list(0)
    Subscriber.objects.bulk_create(
        Subscriber(
            newsletter=newsletter, email=f"n{i}@example.org", confirmed_at="2026-01-01T00:00Z"
        )
        for i in range(100)
    )
    mailing = Mailing.objects.create(issue=issue, newsletter=newsletter, total=100)
    with django_assert_max_num_queries(40):
        mailing_send.call(mailing.pk)
    assert len(django_mail.outbox) == 100


def test_a_published_issue_cannot_be_changed_or_sent_twice(start):
    issue, newsletter, _people = _issue_with_list(1)
    start(issue=issue, newsletter=newsletter, user=None)
    with pytest.raises(services.Conflict, match="bereits versandt"):
        services.mailing_start(issue=issue, newsletter=newsletter, user=None)
    with pytest.raises(services.Conflict, match="nicht mehr geändert"):
        services.issue_update(issue=issue, fields={"number": "x"}, user=None)
    with pytest.raises(services.Conflict):
        services.article_add(issue=issue, user=None, title="Nachtrag")


def test_publishing_again_while_a_batch_is_sending_is_refused():
    issue, newsletter, _people = _issue_with_list(1)
    Mailing.objects.create(issue=issue, newsletter=newsletter, status=MailingStatus.SENDING)
    with pytest.raises(services.Conflict, match="gerade"):
        services.mailing_start(issue=issue, newsletter=newsletter, user=None)
    with pytest.raises(services.Conflict):
        services.issue_submit(issue=issue, user=None)


def test_only_a_published_issue_is_sent():
    issue, newsletter, _people = _issue_with_list(1)
    issue.publish_at = None
    issue.save()
    with pytest.raises(services.Conflict, match="veröffentlichte"):
        services.mailing_start(issue=issue, newsletter=newsletter, user=None)


def test_the_unsubscribe_token_in_the_mail_is_the_apps():
    person = SubscriberFactory()
    assert core_tokens.read_int(tokens.UNSUBSCRIBE, tokens.unsubscribe_token(person)) == person.pk


def test_long_lines_are_broken_so_the_parts_need_no_quoted_printable():
    """One line over 998 octets makes Django encode the whole part as quoted-printable for every
    recipient; the edition keeps its lines short instead, with the same content."""
    import re

    from quartier.publications import mail

    paragraph = (
        'Ein sehr langer Absatz über den Stadtteil, <b>fett</b> und <a href="/x y">Link</a>. ' * 40
    )
    items = "".join(f"<li>Eintrag {n} mit Text</li>" for n in range(80))
    html = f"<p>{paragraph}</p><ul>{items}</ul><p>Ende</p>"
    short = mail.short_lines(html, html=True)
    assert max(len(line.encode()) for line in short.split("\n")) <= mail.MAX_LINE_OCTETS

    def same(markup: str) -> str:  # whitespace between block tags and runs of it render alike
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", markup))

    assert same(short) == same(html)
    assert '<a href="/x y">' in short  # never broken inside a tag
    text = mail.short_lines("Wort " * 500, html=False)
    assert max(len(line) for line in text.split("\n")) <= 76
    assert text.split() == ("Wort " * 500).split()

    edition = mail.RenderedEdition(subject="Zeitung", text=text, html=short, list_id="L <l.x>")
    message = mail.edition_message(edition, subscriber_id=1, email="a@example.org").message()
    encodings = {
        part["Content-Transfer-Encoding"] for part in message.walk() if not part.is_multipart()
    }
    assert encodings <= {"7bit", "8bit"}  # no quoted-printable, no base64


# --- The prepared edition: built once, addressed per recipient -------------------------------


def _links_in(message) -> dict[str, set[str]]:
    """The unsubscribe and manage tokens a received mail carries, by where they are."""
    import re

    parts = {part.get_content_type(): part for part in message.walk()}
    found: dict[str, set[str]] = {}
    header = str(message["List-Unsubscribe"]).strip()
    found["header"] = {header.strip("<>").rstrip("/").rsplit("/", 1)[-1]}
    for kind in ("text/plain", "text/html"):
        body = parts[kind].get_payload(decode=True).decode()
        for which in ("abmelden", "verwalten"):
            tokens_ = re.findall(rf"/newsletter/{which}/([^/\s\"<>]+)/", body)
            found[f"{kind} {which}"] = set(tokens_)
    return found


@pytest.mark.parametrize("connections", [1, 2])
def test_each_recipient_gets_their_own_links_and_headers(start, smtp, settings, connections):
    settings.QUARTIER_NEWSLETTER_CONNECTIONS = connections
    settings.QUARTIER_NEWSLETTER_BATCH = 3
    issue, newsletter, people = _issue_with_list(7)
    Subscriber.objects.filter(pk=people[2].pk).update(language="en")

    mailing = start(issue=issue, newsletter=newsletter, user=None)

    mailing.refresh_from_db()
    assert (mailing.sent, mailing.failed) == (7, 0)
    assert len(smtp.messages) == 7
    by_pk = {person.pk: person for person in people}
    seen, message_ids = set(), set()
    for envelope_to, message in zip(smtp.recipients, smtp.messages, strict=True):
        person = Subscriber.objects.get(email=str(message["To"]))
        assert envelope_to == person.email  # the envelope and the header name the same person
        links = _links_in(message)
        (unsubscribe,) = links["header"]
        assert tokens.read_unsubscribe(unsubscribe) == person.pk
        assert links["text/plain abmelden"] == links["text/html abmelden"] == {unsubscribe}
        (manage,) = links["text/plain verwalten"]
        assert links["text/html verwalten"] == {manage}
        assert tokens.read_manage(manage) == person.pk
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"].startswith(newsletter.name)
        assert message["Date"] and message["Subject"] == f"{issue.title} {issue.number}"
        message_ids.add(str(message["Message-ID"]))
        text = message.get_body(("plain",)).get_content()
        assert ("Unsubscribe:" if person.pk == people[2].pk else "Abmelden:") in text
        assert "Neuer Spielplatz" in text
        seen.add(person.pk)
    assert seen == set(by_pk)
    assert len(message_ids) == 7  # a Message-ID of its own for every mail


class _FixedLinks:
    """Links without a time stamp in the token, so that two builds can be compared."""

    def unsubscribe(self, subscriber_id: int) -> str:
        return f"http://127.0.0.1:8000/newsletter/abmelden/u{subscriber_id}/"

    def manage(self, subscriber_id: int) -> str:
        return f"http://127.0.0.1:8000/newsletter/verwalten/m{subscriber_id}/"


def test_the_prepared_mail_is_the_mail_django_builds():
    """Replacing the placeholders in the prepared bytes gives the message edition_message
    builds whole, header for header and part for part (Date and Message-ID aside)."""
    from email import message_from_bytes, policy

    from quartier.publications import mail

    issue, newsletter, people = _issue_with_list(1)
    edition = mail.render_edition(issue, newsletter)
    prepared = mail.prepare_edition(edition)
    assert prepared is not None
    links = _FixedLinks()
    recipient, raw = prepared.address(
        subscriber_id=people[0].pk,
        email=people[0].email,
        date="Mon, 07 Dec 2026 20:00:00 -0000",
        links=links,  # type: ignore[arg-type]
    )
    assert recipient == people[0].email
    assert b"__QUARTIER" not in raw and b"recipient.invalid" not in raw
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # SMTP line ends throughout
    fast = message_from_bytes(raw, policy=policy.default)
    whole = message_from_bytes(
        mail.edition_message(
            edition,
            subscriber_id=people[0].pk,
            email=people[0].email,
            links=links,  # type: ignore[arg-type]
        )
        .message()
        .as_bytes(linesep="\r\n"),  # as Django's SMTP backend sends it
        policy=policy.default,
    )
    assert fast["Date"] == "Mon, 07 Dec 2026 20:00:00 -0000"
    assert fast["Message-ID"].endswith(f".{people[0].pk}@{fast['Message-ID'].split('@')[1]}")
    skip = {"date", "message-id", "content-type"}  # content-type: the boundary differs
    assert [(k, str(v)) for k, v in fast.items() if k.lower() not in skip] == [
        (k, str(v)) for k, v in whole.items() if k.lower() not in skip
    ]
    assert fast.get_content_type() == whole.get_content_type() == "multipart/alternative"
    for kind in ("plain", "html"):
        assert fast.get_body((kind,)).get_content() == whole.get_body((kind,)).get_content()
        assert f"/abmelden/u{people[0].pk}/" in fast.get_body((kind,)).get_content()


def test_an_edition_that_cannot_be_prepared_is_built_per_recipient(start, smtp):
    """A line that cannot be broken (no space) makes Django encode the part as
    quoted-printable, which may cut a placeholder: such an edition goes out the general way,
    with the same per-recipient links."""
    from quartier.publications import mail

    issue, newsletter, _people = _issue_with_list(2)
    ArticleFactory(issue=issue, title="Lang", text="<p>" + "x" * 1200 + "</p>")
    assert mail.prepare_edition(mail.render_edition(issue, newsletter)) is None

    mailing = start(issue=issue, newsletter=newsletter, user=None)

    mailing.refresh_from_db()
    assert (mailing.sent, mailing.failed) == (2, 0)
    for message in smtp.messages:
        person = Subscriber.objects.get(email=str(message["To"]))
        links = _links_in(message)
        assert tokens.read_unsubscribe(next(iter(links["header"]))) == person.pk
        assert links["text/plain abmelden"] == links["header"]


def test_a_non_ascii_address_is_encoded_as_django_would():
    from django.core.mail.message import sanitize_address

    from quartier.publications import mail

    assert mail._recipient("anna@example.org") == "anna@example.org"
    assert mail._recipient("anna@bücher.example") == "anna@xn--bcher-kva.example"
    assert mail._recipient("jörg@example.org") == sanitize_address("jörg@example.org", "utf-8")


def test_refusals_across_batches_are_recorded_with_a_bounded_number_of_queries(
    start, smtp, settings, django_assert_max_num_queries
):
    """A refused recipient in every batch: each is recorded, the rest delivered, and the
    queries grow with the batches (a read and a transaction of three writes each: six with the
    savepoint), not with the recipients (sixty here: one query each would break the budget)."""
    settings.QUARTIER_NEWSLETTER_BATCH = 10
    issue, newsletter, _people = _issue_with_list(0)
    Subscriber.objects.bulk_create(
        Subscriber(
            newsletter=newsletter, email=f"n{i}@example.org", confirmed_at="2026-01-01T00:00Z"
        )
        for i in range(60)
    )
    smtp.refuse.update(f"n{i}@example.org" for i in range(3, 60, 10))  # one in each batch
    smtp.temporary["n5@example.org"] = 1  # taken at the second attempt

    batches = 6
    with django_assert_max_num_queries(batches * 6 + 30):  # 30: start, rendering, end
        mailing = start(issue=issue, newsletter=newsletter, user=None)

    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent, mailing.failed) == (MailingStatus.DONE, 54, 6)
    assert len(smtp.recipients) == 54
    failed = set(
        DeliveryFailure.objects.filter(mailing=mailing).values_list("subscriber__email", flat=True)
    )
    assert failed == {f"n{i}@example.org" for i in range(3, 60, 10)}
    assert Subscriber.objects.filter(bounced_at__isnull=False).count() == 6


def test_the_pacer_spaces_the_mails_at_the_rate(monkeypatch):
    from quartier.publications import tasks

    clock = [100.0]
    slept: list[float] = []
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(tasks.time, "sleep", slept.append)
    pacer = tasks._Pacer(4)
    for _ in range(3):
        pacer.wait()
    assert slept == [0.25, 0.5, 0.75]
    tasks._Pacer(0).wait()  # unpaced: no sleep
    assert len(slept) == 3


def test_the_html_part_is_packed_into_few_lines_with_the_links_on_their_own():
    from quartier.publications import mail

    html = (
        "<html>\n  <body>\n"
        + "".join(f"    <p>Absatz {n}</p>\n\n" for n in range(200))
        + f'    <p><a href="{mail.UNSUBSCRIBE_MARK}">Abmelden</a></p>\n'
        + "    <p>Ende</p>\n  </body>\n</html>\n"
    )
    short = mail.short_lines(html, html=True)
    lines = short.split("\n")
    assert len(lines) < 10  # 400 lines of template and blank lines packed
    assert max(len(line.encode()) for line in lines) <= mail.MAX_LINE_OCTETS
    assert f'<p><a href="{mail.UNSUBSCRIBE_MARK}">Abmelden</a></p>' in lines
    assert short.split() == html.split()  # the same markup; only white space differs
