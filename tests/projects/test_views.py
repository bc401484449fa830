"""Pages, dashboard query budget, exports, API, the warning mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from quartier.projects.models import Status
from quartier.projects.tasks import warn_continuation_gaps
from tests.budget import assert_queries_do_not_grow
from tests.factories import projects as f

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_running_and_completed_projects_with_goal_and_partners(world):
    world.project.partners.add(world.other_organisation)
    f.project([world.district], world.organisation, title="Fertiges Projekt",
              status=Status.COMPLETED, results="Zwölf Hochbeete gebaut.")  # fmt: skip
    response = world.client("anonymous").get(reverse("projects:list") + "?area=nordviertel")
    page = response.content.decode()
    assert "Nachbarschaftsgarten" in page and "Weniger Langzeitarbeitslose" in page
    assert "Verein Anderstadt" in page and "Zwölf Hochbeete" in page
    assert "Idee Spielplatz" not in page and "Anderprojekt" not in page
    assert 'id="project-points"' in page


def test_the_public_list_has_a_query_budget(world, django_assert_max_num_queries):
    client = world.client("anonymous")

    def add(n):
        for i in range(n):
            f.project([world.district], world.other_organisation, title=f"P{i}-{f.TODAY}-{id(n)}")

    assert_queries_do_not_grow(lambda: client.get(reverse("projects:list")), add)


def test_the_dashboard_query_count_does_not_grow_with_the_data(world):
    client = world.client("coordinator")
    url = reverse("backoffice:projects:dashboard", kwargs={"slug": "sozialraum-nord"})
    counter = iter(range(10_000))

    def add(n):
        for _i in range(n):
            i = next(counter)
            project = f.project([world.district], world.organisation, title=f"Projekt {i}")
            programme = f.programme([world.district], name=f"Programm {i}")
            f.line(project, programme)
            f.task(world.district, programme=programme)
            f.concept_with_indicator(world.district, title=f"Konzept {i}")

    def fetch():
        response = client.get(url)
        assert response.status_code == 200

    assert_queries_do_not_grow(fetch, add, n=3)


def test_the_dashboard_shows_budget_gaps_and_progress(world):
    f.line(world.project, world.programme, year=f.TODAY.year - 1, approved=100, spent=150)
    response = world.client("planner").get(
        reverse("backoffice:projects:dashboard", kwargs={"slug": "teststadt"})
    )
    page = response.content.decode()
    assert "Bewohnercafé" in page and "Langzeitarbeitslose" in page
    assert "1.050,00" in page or "1050,00" in page  # spent in total


def test_the_projects_csv_is_for_german_excel(world):
    response = world.client("editor").get(reverse("backoffice:projects:export_projects"))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "Nachbarschaftsgarten;" in body
    assert "Anderprojekt" not in body  # not the editor's


def test_the_api_lists_public_projects_and_indicators(world):
    client = world.client("anonymous")
    projects = client.get(reverse("api:project_list")).json()["items"]
    by_slug = {p["slug"]: p for p in projects}
    assert set(by_slug) == {world.project.slug, world.other_project.slug}
    assert by_slug[world.project.slug]["goals"] == ["Weniger Langzeitarbeitslose"]
    indicators = client.get(reverse("api:indicator_list")).json()["items"]
    assert {i["code"] for i in indicators} == {"arbeitslose"}
    assert all(i["measurements"] for i in indicators)
    assert "/api/projects/" in client.get("/api/openapi.json").content.decode()


def test_the_warning_mail_goes_to_the_programme_coordinator_once_a_week(
    world, django_capture_on_commit_callbacks
):
    world.users["coordinator"].email = "koordination@example.org"
    world.users["coordinator"].save()
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_continuation_gaps.call() == 1
    assert [m.to for m in mail.outbox] == [["koordination@example.org"]]
    assert "Bewohnercafé" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_continuation_gaps.call() == 0
    assert len(mail.outbox) == 1


def test_the_dashboard_section_names_the_gaps(world):
    response = world.client("coordinator").get(reverse("backoffice:dashboard"))
    assert "Bewohnercafé" in response.content.decode()


def test_a_planner_sees_but_cannot_edit_a_project(world):
    client = world.client("planner")
    url = reverse("backoffice:projects:project", kwargs={"pk": world.project.pk})
    assert "Status ändern" not in client.get(url).content.decode()
    assert client.post(url, {"title": "x"}).status_code == 403


def test_an_editor_cannot_lead_with_another_organisation(world):
    response = world.client("editor").post(
        reverse("backoffice:projects:project_create"),
        {"title": "Fremd", "lead_organisation": world.other_organisation.pk,
         "areas": [world.district.pk]},
    )  # fmt: skip
    assert response.status_code == 400


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_report_is_stored_and_downloaded_by_those_who_see_the_project(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("backoffice:projects:file_add", kwargs={"pk": world.project.pk})
    response = world.client("editor").post(
        url, {"kind": "report", "title": "Bericht 2025", "upload": _upload("b.pdf", b"%PDF-1.7 x")}
    )
    assert response.status_code == 302
    stored = world.project.files.get()
    download = reverse(
        "backoffice:projects:file_download", kwargs={"pk": world.project.pk, "file_id": stored.pk}
    )
    response = world.client("planner").get(download)
    assert response.status_code == 200 and response.content == b"%PDF-1.7 x"
    assert response["Content-Type"] == "application/pdf"
    assert world.client("resident").get(download).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("b.exe", b"MZ", "Erlaubt sind"),
        ("b.pdf", b"<html>", "passt nicht"),
    ],
)
def test_wrong_file_types_are_refused(world, settings, tmp_path, name, content, message):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("backoffice:projects:file_add", kwargs={"pk": world.project.pk})
    response = world.client("coordinator").post(
        url, {"kind": "photo", "title": "X", "upload": _upload(name, content)}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not world.project.files.exists()


def test_a_file_over_the_limit_is_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.QUARTIER_PROJECTS_FILE_MAX_BYTES = 10
    url = reverse("backoffice:projects:file_add", kwargs={"pk": world.project.pk})
    response = world.client("coordinator").post(
        url, {"kind": "photo", "title": "X", "upload": _upload("a.png", b"\x89PNG\r\n\x1a\n" * 3)}
    )
    assert response.status_code == 400 and not world.project.files.exists()
