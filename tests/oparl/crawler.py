"""A schema-driven OParl crawler for tests: it starts at the system, follows every link the
schemas declare, validates each object (embedded ones too) and records what it saw.

The official schemas mark links with `references`/`schema` keys that JSON Schema ignores, so the
crawler reads those keys itself: `externalList` properties are fetched as paginated lists,
other `references` are fetched as objects of that type, `schema` properties are validated as
embedded objects.
"""

from __future__ import annotations

import datetime
import json
from collections import deque
from pathlib import Path
from typing import Any

import jsonschema
from django.conf import settings
from django.test import Client

TYPE_PREFIX = "https://schema.oparl.org/1.1/"


def load_schemas(standards_dir: Path) -> dict[str, dict]:
    folder = standards_dir / "oparl-1.1" / "schema"
    return {path.stem: json.loads(path.read_text("utf-8")) for path in folder.glob("*.json")}


class Crawler:
    def __init__(self, client: Client, schemas: dict[str, dict] | None = None) -> None:
        self.client = client
        self.schemas = schemas or {}
        self.objects: dict[str, dict] = {}  # id -> object as fetched on its own
        self.listed: dict[str, dict] = {}  # id -> object as it appeared in a list
        self.embedded: dict[str, dict] = {}
        self.lists: dict[str, list[str]] = {}  # list URL -> ids over all pages
        self.bodies: list[str] = []  # raw response texts, for secret scans
        self._queue: deque[tuple[str, str, str | None]] = deque()
        self._seen: set[str] = set()

    # -- fetching ---------------------------------------------------------------------------
    def get(self, url: str) -> Any:
        assert url.startswith(settings.SITE_URL + "/"), f"not an absolute link of ours: {url}"
        response = self.client.get(url[len(settings.SITE_URL) :])
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert response["Content-Type"].startswith("application/json"), url
        assert response["Access-Control-Allow-Origin"] == "*", url
        self.bodies.append(response.content.decode("utf-8"))
        return response.json()

    def crawl(self, start: str) -> Crawler:
        self._push(start, "object", "System")
        while self._queue:
            url, kind, expected = self._queue.popleft()
            if kind == "auto":
                kind = self._kind_of(url)
                if kind is None:
                    continue
            if kind == "list":
                self._crawl_list(url, expected)
            else:
                obj = self.get(url)
                self.check(obj, expected)
                assert obj["id"] == url, f"{url} answers with id {obj['id']}"
                self.objects[url] = obj
        return self

    def _kind_of(self, url: str) -> str | None:
        """For links no schema names (downloads included): what the answer turns out to be."""
        response = self.client.get(url[len(settings.SITE_URL) :])
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if response.streaming:
            # Reading to the end lets the test client close the file (and keep the database
            # connection); an explicit close() would end the connection on PostgreSQL.
            b"".join(response.streaming_content)
            return None
        if not response["Content-Type"].startswith("application/json"):
            if response["Content-Type"].startswith("text/"):
                self.bodies.append(response.content.decode("utf-8"))
            return None
        return "list" if "data" in response.json() else "object"

    def _walk(self, value: Any) -> None:
        """Queue every link into our API found anywhere in `value`, declared or not."""
        if isinstance(value, dict):
            for item in value.values():
                self._walk(item)
        elif isinstance(value, list):
            for item in value:
                self._walk(item)
        elif isinstance(value, str) and value.startswith(f"{settings.SITE_URL}/api/oparl/"):
            self._push(value, "auto", None)

    def _push(self, url: str, kind: str, expected: str | None) -> None:
        if url not in self._seen:
            self._seen.add(url)
            self._queue.append((url, kind, expected))

    def _crawl_list(self, url: str, expected: str | None) -> None:
        ids: list[str] = []
        page_url: str | None = url
        pages = 0
        while page_url:
            page = self.get(page_url)
            assert set(page) >= {"data", "pagination", "links"}, page_url
            assert isinstance(page["data"], list)
            for obj in page["data"]:
                self.check(obj, expected)
                self.listed[obj["id"]] = obj
                ids.append(obj["id"])
                self._push(obj["id"], "object", expected)
            pagination = page["pagination"]
            assert pagination["currentPage"] == pages + 1
            assert len(page["data"]) <= pagination["elementsPerPage"]
            pages += 1
            page_url = page["links"].get("next")
            for link in page["links"].values():
                self._check_url(link)
        assert len(ids) == len(set(ids)), f"{url}: an object appears twice"
        assert len(ids) == pagination["totalElements"], url
        self.lists[url] = ids

    # -- validation -------------------------------------------------------------------------
    def check(self, obj: dict, expected: str | None) -> None:
        """Validate `obj` against its type's schema, recursively; queue what it links to."""
        assert isinstance(obj, dict) and obj.get("type", "").startswith(TYPE_PREFIX), obj
        name = obj["type"][len(TYPE_PREFIX) :]
        if expected and expected not in ("externalList",):
            assert name == expected, f"{obj['id']}: {name}, expected {expected}"
        schema = self.schemas.get(name)
        self._check_url(obj["id"])
        if schema is not None:
            jsonschema.validate(obj, schema)
            for prop, spec in schema["properties"].items():
                if prop in obj:
                    self._check_property(obj, prop, spec)
        # Last, so links the schema types are queued with their expected type first.
        self._walk(obj)

    def _check_property(self, obj: dict, prop: str, spec: dict) -> None:
        value = obj[prop]
        items = spec.get("items", {}) if isinstance(spec.get("items"), dict) else {}
        if spec.get("format") in ("url",) or items.get("format") == "url":
            for link in value if isinstance(value, list) else [value]:
                self._check_url(link)
        if spec.get("format") == "date-time":
            parsed = datetime.datetime.fromisoformat(value)
            assert parsed.tzinfo is not None, f"{obj['id']}.{prop} has no offset"
        if spec.get("format") == "date":
            datetime.date.fromisoformat(value)
        if spec.get("references") == "externalList":
            self._push(value, "list", items.get("schema", "").removesuffix(".json") or None)
        elif spec.get("type") == "object" and "schema" in spec:
            self._embedded(value, spec["schema"])
        elif spec.get("type") == "array" and "schema" in items:
            for embedded in value:
                self._embedded(embedded, items["schema"])
        elif "references" in spec or "references" in items:
            target = spec.get("references") or items.get("references")
            for link in value if isinstance(value, list) else [value]:
                self._push(link, "object", target)

    def _embedded(self, obj: dict, schema_file: str) -> None:
        name = schema_file.removesuffix(".json")
        self.check(obj, name)
        self.embedded[obj["id"]] = obj
        self._push(obj["id"], "object", name)

    @staticmethod
    def _check_url(link: Any) -> None:
        assert isinstance(link, str) and link.startswith(("https://", "http://")), link
