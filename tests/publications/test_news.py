"""News posts: sanitised text, images, public pages, Atom feeds, JSON-LD, drafts."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from quartier.publications import html, services
from quartier.publications.forms import PostForm
from tests.budget import assert_queries_do_not_grow
from tests.factories.accounts import UserFactory
from tests.factories.publications import PostFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_scripts_and_handlers_are_removed_and_the_small_formatting_stays():
    dirty = (
        '<h2>Titel</h2><p onclick="x()">Text <a href="javascript:alert(1)">a</a> '
        '<a href="https://example.org">b</a></p><script>alert(1)</script>'
        '<style>p{}</style><ul><li>eins</li></ul><img src="/media/a.jpg" alt="A" onerror="x()">'
        '<iframe src="https://evil.example"></iframe>'
    )
    clean = html.clean(dirty)
    assert "<script" not in clean and "alert(1)" not in clean and "onclick" not in clean
    assert "onerror" not in clean and "iframe" not in clean and "javascript:" not in clean
    assert "<h2>Titel</h2>" in clean and "<li>eins</li>" in clean
    assert 'href="https://example.org"' in clean and 'rel="noopener noreferrer nofollow"' in clean
    assert '<img src="/media/a.jpg" alt="A">' in clean


def test_the_service_stores_only_clean_html(world):
    post = services.post_create(
        fields={
            "title": "Fest",
            "teaser": "Kurz",
            "text": "<p>Hallo</p><script>steal()</script>",
            "organisation": world.organisation,
        },
        user=world.users["editor"],
    )
    assert post.text == "<p>Hallo</p>"
    assert post.slug == "fest"
    assert post.history.count() == 1


def _image(fmt: str = "PNG", size: tuple[int, int] = (20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return buffer.getvalue()


def _form(world, files, **data):
    values = {
        "title": "Fest",
        "teaser": "Kurz",
        "text": "",
        "organisation": world.organisation.pk,
        "image_alt": "Ein rotes Quadrat",
        **data,
    }
    return PostForm(values, files, user=world.users["editor"])


def test_an_image_must_be_an_image_of_a_sane_size(world, settings):
    fake = SimpleUploadedFile("bild.png", b"<?php echo 1; ?>", content_type="image/png")
    form = _form(world, {"image": fake})
    assert not form.is_valid() and "image" in form.errors

    settings.QUARTIER_NEWS_IMAGE_MAX_BYTES = 100
    big = SimpleUploadedFile("bild.png", _image(size=(200, 200)), content_type="image/png")
    form = _form(world, {"image": big})
    assert not form.is_valid()
    assert "too large" in str(form.errors["image"]) or "zu groß" in str(form.errors["image"])

    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, "GIF")
    form = _form(world, {"image": SimpleUploadedFile("b.gif", gif.getvalue())})
    assert not form.is_valid() and "image" in form.errors

    settings.QUARTIER_NEWS_IMAGE_MAX_BYTES = 2 * 1024 * 1024
    good = SimpleUploadedFile("bild.png", _image(), content_type="image/png")
    assert _form(world, {"image": good}).is_valid()
    without_alt = SimpleUploadedFile("bild.png", _image(), content_type="image/png")
    form = _form(world, {"image": without_alt}, image_alt="")
    assert not form.is_valid() and "image_alt" in form.errors


def test_an_editor_may_not_publish_for_another_organisation(world):
    form = _form(world, {}, organisation=world.other_organisation.pk)
    assert not form.is_valid() and "organisation" in form.errors


def test_the_post_page_has_json_ld_and_feed_links(world, client):
    response = client.get(world.post.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    )
    assert data["@type"] == "NewsArticle" and data["headline"] == world.post.title
    assert data["author"]["name"] == world.organisation.name
    feeds = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', content
    )
    assert reverse("publications:feed_area", kwargs={"slug": world.district.slug}) in feeds
    assert reverse("publications:feed_body", kwargs={"slug": world.body.slug}) in feeds
    assert reverse("publications:feed") in feeds


def test_json_ld_cannot_close_its_script(world, client):
    PostFactory(
        title="</script><script>alert(1)</script>", slug="boese", organisation=world.organisation
    )
    content = client.get(reverse("publications:post", kwargs={"slug": "boese"})).content.decode()
    assert "</script><script>alert(1)" not in content


def test_feeds_list_published_posts_per_area_and_body(world, client):
    PostFactory(
        title="Anderswo",
        slug="anderswo",
        organisation=world.other_organisation,
        area=world.other_city,
    )
    for url, expected in [
        (reverse("publications:feed"), {"Sommerfest im Nordviertel", "Anderswo"}),
        (
            reverse("publications:feed_area", kwargs={"slug": world.social_space.slug}),
            {"Sommerfest im Nordviertel"},
        ),
        (
            reverse("publications:feed_body", kwargs={"slug": world.body.slug}),
            {"Sommerfest im Nordviertel"},
        ),
        (reverse("publications:feed_area", kwargs={"slug": world.other_city.slug}), {"Anderswo"}),
    ]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        titles = {entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")}
        assert titles == expected, url
    assert (
        client.get(reverse("publications:feed_area", kwargs={"slug": "gibt-es-nicht"})).status_code
        == 404
    )


def test_drafts_and_scheduled_posts_are_not_public(world, client):
    import datetime as dt

    from django.utils import timezone

    PostFactory(
        title="Demnaechst",
        slug="demnaechst",
        organisation=world.organisation,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    news = client.get(reverse("publications:news")).content.decode()
    feed = client.get(reverse("publications:feed")).content.decode()
    for text in (news, feed):
        assert "Demnaechst" not in text and world.draft_post.title not in text
        assert "Sommerfest im Nordviertel" in text
    assert (
        client.get(reverse("publications:post", kwargs={"slug": "demnaechst"})).status_code == 404
    )


def test_the_news_list_filters_by_tag_and_area(world, client):
    PostFactory(
        title="Anderswo",
        slug="anderswo",
        organisation=world.other_organisation,
        area=world.other_city,
    )
    page = client.get(reverse("publications:news") + "?tag=Fest").content.decode()
    assert "Sommerfest" in page and "Anderswo" not in page
    page = client.get(
        reverse("publications:news") + f"?area={world.other_city.slug}"
    ).content.decode()
    assert "Sommerfest" not in page and "Anderswo" in page


def test_the_news_list_and_feed_cost_no_query_per_post(world, client):
    def add(n: int) -> None:
        for _ in range(n):
            PostFactory(organisation=world.organisation, area=world.district, body=world.body)

    for url in (reverse("publications:news"), reverse("publications:feed")):
        assert_queries_do_not_grow(lambda url=url: client.get(url), add)


def test_planners_publish_for_organisations_in_their_areas(world):
    form = PostForm(
        {"title": "P", "teaser": "T", "organisation": world.organisation.pk},
        user=world.users["planner"],
    )
    assert form.is_valid(), form.errors
    assert not PostForm({}, user=UserFactory()).fields["organisation"].queryset.exists()


def test_the_area_page_shows_the_newest_news_of_the_area_and_below(world, client):
    PostFactory(
        title="Anderswo",
        slug="anderswo",
        organisation=world.other_organisation,
        area=world.other_city,
    )
    city_page = client.get(reverse("areas:detail", kwargs={"slug": world.city.slug}))
    content = city_page.content.decode()
    assert "Sommerfest im Nordviertel" in content  # a post of the district, below the city
    assert world.draft_post.title not in content and "Anderswo" not in content
    assert reverse("publications:feed_area", kwargs={"slug": world.city.slug}) in content
    other = client.get(reverse("areas:detail", kwargs={"slug": world.other_city.slug}))
    assert "Sommerfest im Nordviertel" not in other.content.decode()


def test_the_area_page_news_costs_no_query_per_post(world, client):
    url = reverse("areas:detail", kwargs={"slug": world.district.slug})

    def add(n: int) -> None:
        for _ in range(n):
            PostFactory(organisation=world.organisation, area=world.district)

    assert_queries_do_not_grow(lambda: client.get(url), add)
