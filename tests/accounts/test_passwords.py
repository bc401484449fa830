"""The password list: common, breached, and German word-plus-digits patterns."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from quartier.accounts.passwords import is_guessable
from tests.factories.areas import AreaFactory


@pytest.mark.parametrize(
    "password",
    [
        "quartier",
        "Sommer2024",
        "trier123",
        "Quartier2025!",
        "Fruehling2023",
        "herbst!!",
        "Dezember01121990",
        "P@ssw0rt123",
        "qwertz123",
        "hallo1234",
        "Tr1er2024",
        "2024winter",
        "Schalke04",
        "iloveyou",
        "123456789",
        "Max2024!",
    ],
)
def test_guessable_passwords_are_refused(password, db):
    assert is_guessable(password)
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_too_common" in {e.code for e in refused.value.error_list}


@pytest.mark.parametrize(
    "password",
    [
        "ein-langes-Passwort-42",
        "Sommer83628461",
        "Kaffeetasse mit Kompass",
        "korrekt-pferd-batterie",
        "x7#Lq9!vR2",
    ],
)
def test_other_passwords_pass(password, db):
    assert not is_guessable(password)
    validate_password(password)


def test_area_names_of_the_installation_count(db):
    assert not is_guessable("Blumenfeldhausen2024")
    AreaFactory(name="Blumenfeldhausen-Süd")
    assert is_guessable("Blumenfeldhausen2024")
