"""Reading the HSDS API in tests: the JSON of a page, the names on a list page."""

from __future__ import annotations

from django.test import Client


def get_json(url: str, status: int = 200) -> dict:
    response = Client().get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def names(url: str) -> list[str]:
    return [item["name"] for item in get_json(url)["contents"]]
