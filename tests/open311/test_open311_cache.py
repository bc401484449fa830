"""The answer cache of Open311 `requests` (quartier/core/answercache.py): the same bytes as without
it, a key that covers every parameter, the language and the host, retired by every write path
once it commits, ETags and 304."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quartier.concerns import services
from quartier.concerns.models import Concern, Status
from quartier.core import answercache as cache
from quartier.core import pagecache
from tests.factories.concerns import ConcernFactory

pytestmark = pytest.mark.django_db

URL = reverse("api:open311_requests", kwargs={"fmt": "json"})
XML = reverse("api:open311_requests", kwargs={"fmt": "xml"})


def _ids(response) -> list[str]:
    return [row["service_request_id"] for row in response.json()]


def _view_headers(response) -> dict[str, str]:
    names = ("Content-Type", "Access-Control-Allow-Origin", "X-Total-Count", "Link", "ETag")
    return {name: response.get(name) for name in names}


def test_a_cached_answer_is_byte_identical_and_costs_one_query(
    world, cached, django_assert_max_num_queries
):
    client = world.client("anonymous")
    ConcernFactory.create_batch(3, category=world.concern_category, area=world.district)
    for address, query in ((URL, {"page_size": 2}), (XML, {"status": "open"}), (URL, {})):
        cached.QUARTIER_API_CACHE_SECONDS = 0
        plain = client.get(address, query)
        cached.QUARTIER_API_CACHE_SECONDS = 60
        first = client.get(address, query)
        with django_assert_max_num_queries(1):  # the content generation
            second = client.get(address, query)
        assert plain.status_code == first.status_code == second.status_code == 200
        assert plain.content == first.content == second.content
        assert _view_headers(plain) == _view_headers(first) == _view_headers(second)
    assert len(cache.local.entries) == 3


def test_the_key_covers_every_parameter_the_language_and_the_host(world, cached):
    client = world.client("anonymous")
    ConcernFactory(category=world.concern_category, area=world.district, status=Status.SOLVED)
    open_ids = _ids(client.get(URL, {"status": "open"}))
    closed_ids = _ids(client.get(URL, {"status": "closed"}))
    assert open_ids and closed_ids and not set(open_ids) & set(closed_ids)
    assert _ids(client.get(URL, {"status": "open"})) == open_ids
    assert len(_ids(client.get(URL, {"page_size": 1}))) == 1
    assert len(_ids(client.get(URL, {"page_size": 2}))) == 2
    # The same parameters in another order: another entry (the next link repeats the order).
    one = client.get(URL, {"page_size": 1, "status": "open,closed"})
    other = client.get(URL + "?status=open,closed&page_size=1")
    assert one["Link"] != other["Link"]
    before = len(cache.local.entries)
    client.get(URL, {"page_size": 1}, HTTP_ACCEPT_LANGUAGE="en")
    client.get(URL, {"page_size": 1}, HTTP_ACCEPT_LANGUAGE="de")
    assert {key.split(":")[3] for key in cache.local.entries} >= {"de", "en"}
    assert len(cache.local.entries) == before + 1  # de was there already
    cached.ALLOWED_HOSTS = [*cached.ALLOWED_HOSTS, "other.example"]
    elsewhere = client.get(URL, {"page_size": 1}, HTTP_HOST="other.example")
    assert "//other.example/" in elsewhere["Link"]


def test_the_cache_never_holds_private_fields(world, cached):
    client = world.client("anonymous")
    client.get(URL)
    client.get(XML)
    stored = b"".join(content for _expires, (content, _h, _e) in cache.local.entries.values())
    assert str(world.concern.pk).encode() in stored
    for private in (
        world.concern.reporter_email,
        world.concern.reporter_name,
        world.concern.address,
        world.concern.updates.filter(is_public=False).get().text,
    ):
        assert private.encode() not in stored


def _status_of(client, concern) -> str | None:
    rows = {row["service_request_id"]: row for row in client.get(URL).json()}
    row = rows.get(str(concern.pk))
    return row["detailed_status"] if row else None


def test_every_write_path_retires_the_cached_pages(world, cached, commit):
    client = world.client("anonymous")
    coordinator = world.users["coordinator"]
    concern = world.concern
    assert _status_of(client, concern) == Status.RECEIVED

    with commit():
        reported = services.concern_report(
            category=world.concern_category, description="Neu gemeldet.", area=world.district
        )
    new = reported.concern
    assert _status_of(client, new) == Status.RECEIVED

    with commit():
        services.concern_set_status(concern=new, status=Status.IN_PROGRESS, user=coordinator)
    assert _status_of(client, new) == Status.IN_PROGRESS

    with commit():
        services.concern_answer(
            concern=new, text="Öffentliche Antwort.", is_public=True, user=coordinator
        )
    rows = {row["service_request_id"]: row for row in client.get(URL).json()}
    assert rows[str(new.pk)]["status_notes"] == "Öffentliche Antwort."

    # Merged into another: hidden from the lists. (Every write inside the capture: a callback
    # left pending outside it would stand for the bumps after it, see pagecache.)
    with commit():
        duplicate = ConcernFactory(category=world.concern_category, area=world.district)
    assert _status_of(client, duplicate) == Status.RECEIVED
    with commit():
        services.concern_merge(duplicate=duplicate, into=new, user=coordinator)
    assert _status_of(client, duplicate) is None

    # Deleted (admin).
    with commit():
        gone = ConcernFactory(category=world.concern_category, area=world.district)
    assert _status_of(client, gone) == Status.RECEIVED
    with commit():
        gone.delete()
    assert _status_of(client, gone) is None

    # Its area no longer public: hidden.
    assert _status_of(client, concern) is not None
    with commit():
        world.district.is_public = False
        world.district.save()
    assert _status_of(client, concern) is None
    with commit():
        world.district.is_public = True
        world.district.save()

    # The category renamed.
    with commit():
        world.concern_category.name = "Laternen"
        world.concern_category.save()
    rows = {row["service_request_id"]: row for row in client.get(URL).json()}
    assert rows[str(concern.pk)]["service_name"] == "Laternen"


def test_writes_without_signals_retire_the_pages_too(world, cached, commit):
    Concern.objects.filter(pk=world.concern.pk).update(
        status=Status.SOLVED, closed_at=timezone.now() - dt.timedelta(days=400)
    )
    before = pagecache.generation()
    with commit():
        assert services.contacts_purge(now=timezone.now()) == 1  # the retention purge
    assert pagecache.generation() == before + 1
    with commit():
        other = ConcernFactory(
            category=world.concern_category, area=world.district, reporter_email="a@example.org"
        )
    before = pagecache.generation()
    with commit():
        services.contact_forget(concern=other)
    assert pagecache.generation() == before + 1


def test_a_refused_write_keeps_the_pages(world, cached):
    before = pagecache.generation()
    with pytest.raises(ValidationError):
        services.concern_set_status(concern=world.concern, status="nonsense", user=None)
    assert pagecache.generation() == before


def test_etag_and_conditional_get(world, cached, commit):
    client = world.client("anonymous")
    first = client.get(URL)
    etag = first["ETag"]
    assert etag.startswith('"') and "no-cache" in first["Cache-Control"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(URL, HTTP_IF_NONE_MATCH='"else"').status_code == 200
    head = client.head(URL, HTTP_IF_NONE_MATCH=etag)
    assert head.status_code == 304
    with commit():
        ConcernFactory(category=world.concern_category, area=world.district)
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # Without the cache the same ETag (a digest of the answer) and the same 304.
    cached.QUARTIER_API_CACHE_SECONDS = 0
    plain = client.get(URL)
    assert plain["ETag"] == changed["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


def test_errors_are_not_cached_and_stay_spec_errors(world, cached):
    client = world.client("anonymous")
    for _ in range(2):
        response = client.get(URL, {"page_size": "0"})
        assert response.status_code == 400
        assert response.json()[0]["code"] == 400
    assert not cache.local.entries


def test_keyset_paging_through_the_cache(world, cached, commit):
    client = world.client("anonymous")
    with commit():
        ConcernFactory.create_batch(5, category=world.concern_category, area=world.district)
    expected = _ids(client.get(URL, {"page_size": 1000}))
    address: str | None = URL + "?page_size=2"
    seen: list[str] = []
    while address:
        response = client.get(address)
        seen += _ids(response)
        link = response.get("Link")
        address = link[1 : link.index(">")] if link else None
        if address and len(seen) == 2:
            with commit():
                ConcernFactory(category=world.concern_category, area=world.district)
    assert seen == expected


def test_the_local_store_is_bounded_by_size(settings):
    settings.QUARTIER_API_CACHE_BYTES = 10
    store = cache._Bounded()
    store.set("a", (b"12345", {}, '"a"'), 60)
    store.set("b", (b"12345", {}, '"b"'), 60)
    assert store.get("a") is not None  # a is now the most recently used
    store.set("c", (b"12345", {}, '"c"'), 60)
    assert store.get("b") is None and store.get("a") and store.get("c")
    assert store.size == 10
    store.set("d", (b"x", {}, '"d"'), -1)  # expired at once
    assert store.get("d") is None
