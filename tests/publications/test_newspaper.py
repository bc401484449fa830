"""District newspaper issues: review by a second person, sections, web, print and e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quartier.core.registry import NewspaperItem, NewspaperSection, registry
from quartier.publications import mail, pdf, selectors, services
from quartier.publications.models import IssueStatus
from tests.factories.publications import ArticleFactory, IssueFactory
from tests.pdf import pdf_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning"),
]


def test_review_needs_a_second_person(world):
    editor, coordinator = world.users["editor"], world.users["coordinator"]
    issue = IssueFactory(
        organisation=world.organisation,
        area=world.district,
        status=IssueStatus.DRAFT,
        publish_at=None,
    )
    services.article_add(issue=issue, user=editor, title="Hallo", text="<p>x</p><script>y</script>")
    assert issue.articles.get().text == "<p>x</p>"
    services.issue_submit(issue=issue, user=editor)
    when = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(services.Conflict, match="zweite Person"):
        services.issue_approve(issue=issue, user=editor, publish_at=when)
    approved = services.issue_approve(issue=issue, user=coordinator, publish_at=when)
    assert approved.status == IssueStatus.SCHEDULED and approved.approved_by == coordinator
    assert not approved.is_published  # scheduled for later
    assert approved.history.count() >= 3
    # A change after approval needs a new review.
    changed = services.issue_update(issue=approved, fields={"number": "5/2026"}, user=editor)
    assert changed.status == IssueStatus.DRAFT and changed.approved_by is None


def test_a_scheduled_issue_appears_in_the_archive_at_its_time(world, client):
    later = IssueFactory(
        organisation=world.organisation,
        area=world.district,
        number="Zukunft",
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    archive = client.get(reverse("publications:archive")).content.decode()
    assert world.issue.number in archive and "Zukunft" not in archive
    assert client.get(later.get_absolute_url()).status_code == 404


def test_sections_fill_themselves_for_the_area_and_period(world):
    edition = selectors.edition(world.issue)
    keys = {section.key: items for section, items in edition.sections}
    assert [item.title for item in keys["events"]] == ["Nordfest"]
    contacts = " ".join(item.title for item in keys["contacts"])
    assert "Erika Beispiel" in contacts
    assert world.internal_person.family_name not in contacts
    assert world.former_person.family_name not in contacts


def test_running_projects_and_solved_concerns_have_their_sections(world):
    from quartier.concerns.models import Status as ConcernStatus
    from tests.factories.concerns import ConcernFactory
    from tests.factories.projects import project

    ended = project(
        [world.district],
        world.organisation,
        title="Abgeschlossenes Projekt",
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2021, 1, 1),
    )
    in_period = timezone.now()
    solved = ConcernFactory(
        area=world.district,
        category=world.concern_category,
        status=ConcernStatus.SOLVED,
        closed_at=in_period,
        description="Mein Name ist Privat und die Laterne brennt wieder.",
    )
    ConcernFactory(  # solved long before the issue's period
        area=world.district,
        category=world.concern_category,
        status=ConcernStatus.SOLVED,
        closed_at=in_period - dt.timedelta(days=400),
    )
    ConcernFactory(area=world.district, category=world.concern_category)  # still open
    keys = {section.key: items for section, items in selectors.edition(world.issue).sections}
    projects = [item.title for item in keys["projects"]]
    assert world.project.title in projects
    assert ended.title not in projects and world.idea_project.title not in projects
    assert world.other_project.title not in projects  # another city
    assert [item.text for item in keys["concerns"]] == [solved.number]
    # Residents' own words are not printed for every household.
    assert not any("Privat" in f"{item.title}{item.text}" for item in keys["concerns"])
    order = [section.key for section, _items in selectors.edition(world.issue).sections]
    assert order.index("events") < order.index("projects") < order.index("contacts")


def test_a_later_app_adds_a_section_through_the_registry(world):
    section = NewspaperSection(
        "test-projects", "Laufende Projekte", lambda area, start, end: [NewspaperItem("Spielplatz")]
    )
    registry.add_newspaper_section(section)
    try:
        keys = [s.key for s, _items in selectors.edition(world.issue).sections]
        assert "test-projects" in keys
    finally:
        registry.newspaper_sections.remove(section)


def test_the_print_edition_is_an_a4_pdf_with_contents_and_imprint(world, client):
    for n in range(6):
        ArticleFactory(issue=world.issue, title=f"Bericht {n}", text="<p>" + "Wort " * 400 + "</p>")
    response = client.get(reverse("publications:issue_pdf", kwargs={"pk": world.issue.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(response.content)
    assert "Quartierszeitung" in text and "Inhalt" in text and "Impressum" in text
    assert "Bericht 5" in text and "Nordfest" in text
    assert "Seite 2 / " in text
    world.issue.refresh_from_db()
    assert world.issue.pdf  # kept for the archive


def test_the_pdf_fetches_no_foreign_resources(world):
    ArticleFactory(
        issue=world.issue, text='<p><img src="http://169.254.169.254/x.png" alt="x"></p>'
    )
    calls = []
    fetcher = pdf._fetcher_class()()
    original = fetcher.fetch

    def spy(url, headers=None):
        calls.append(url)
        return original(url, headers)

    assert pdf._media_file("http://169.254.169.254/x.png") is None
    assert pdf._media_file("/media/../../etc/passwd") is None
    response = spy("http://169.254.169.254/x.png")
    assert response.read() == pdf.BLANK_PNG


def test_the_email_edition_reads_without_images(world):
    rendered = mail.render_edition(world.issue, world.newsletter)
    assert "Neuer Spielplatz" in rendered.text and "Nordfest" in rendered.text
    assert "<" not in rendered.text.replace("<http", "")  # plain text, no markup
    assert world.issue.get_absolute_url() in rendered.html
    message = mail.edition_message(
        rendered, subscriber_id=world.subscriber.pk, email="a@example.org"
    )
    assert mail.UNSUBSCRIBE_MARK not in message.body
    assert mail.UNSUBSCRIBE_MARK not in message.alternatives[0][0]
