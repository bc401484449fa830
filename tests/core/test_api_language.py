"""The JSON API answers errors in the language the client asks for."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("language", "message"),
    [("de", "Die Eingabe ist ungültig."), ("en", "The input is not valid.")],
)
def test_validation_errors_speak_the_clients_language(client, db, language, message):
    response = client.get(
        reverse("api:search_offers_api"), {"lat": "999", "lon": "6"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 422
    assert response.json()["message"] == message
    assert response.json()["errors"][0]["field"] == "lat"


def test_not_found_in_german(client, db):
    response = client.get(
        "/api/hsds/services/00000000-0000-0000-0000-000000000000", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Nicht gefunden."
