"""The legal pages a German public site carries: Impressum (§ 5 DDG, § 18 MStV),
Datenschutzerklärung (Art. 13 DSGVO) and Erklärung zur Barrierefreiheit (§ 12b BGG and the
Länder's laws, BITV 2.0), linked in every page's footer, with the two pages BITV 2.0 (§ 4)
asks of a public body's site beside them: Kontakt and an easy-language page (Leichte Sprache)
that says what the site offers and how to use it.

Each page is a template filled from settings (QUARTIER_OPERATOR, QUARTIER_PRIVACY_CONTACTS,
QUARTIER_ACCESSIBILITY, QUARTIER_MAP_TILES) and, for the privacy policy, from the processing
register that every app's privacy.py and retention.py make up (core/privacy.register()), plus
the deployment's own text per language (core.LegalPage, edited by platform admins).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from quartier.core import geocoding, maps
from quartier.core.models import LegalPage
from quartier.core.privacy import register
from quartier.core.registry import registry, render_sections

ACCESSIBILITY_STATUSES = ("full", "partial", "none")
# Every key the templates read (a missing key is "", never an unknown template variable).
OPERATOR_KEYS = (
    "name",
    "address",
    "representative",
    "email",
    "phone",
    "legal_form",
    "vat_id",
    "supervisory_authority",
    "content_responsible",
)
PRIVACY_KEYS = ("officer", "authority", "authority_url")
ACCESSIBILITY_KEYS = (
    "status",
    "prepared_on",
    "method",
    "feedback_email",
    "feedback_phone",
    "enforcement_body",
    "enforcement_address",
    "enforcement_url",
)


def _setting(value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    value = value if isinstance(value, dict) else {}
    return {key: str(value.get(key) or "").strip() for key in keys}


def own_text(kind: str) -> str:
    """The admins' text for the page in the current language (German as the fallback)."""
    language = (translation.get_language() or "de")[:2]
    texts = {page.language: page.text for page in LegalPage.objects.filter(kind=kind) if page.text}
    return texts.get(language) or texts.get("de", "")


def operator() -> dict[str, Any]:
    data: dict[str, Any] = _setting(settings.QUARTIER_OPERATOR, OPERATOR_KEYS)
    data["address_lines"] = [line for line in data["address"].splitlines() if line.strip()]
    return data


def missing(data: dict[str, Any], *keys: str) -> list[str]:
    """The settings' keys without a value (named to admins on the page)."""
    return [key for key in keys if not data.get(key)]


def imprint_context() -> dict[str, Any]:
    data = operator()
    return {
        "operator": data,
        "missing": missing(data, "name", "address", "email"),
        "own_text": own_text(LegalPage.Kind.IMPRINT),
        "postcode_credit": geocoding.postcode_table_credit(),
    }


def privacy_context() -> dict[str, Any]:
    contacts = _setting(settings.QUARTIER_PRIVACY_CONTACTS, PRIVACY_KEYS)
    return {
        "operator": operator(),
        "contacts": contacts,
        "missing": missing(operator(), "name", "address", "email")
        + missing(contacts, "officer", "authority"),
        "register": register(),
        "tiles": maps.tiles(),
        "own_text": own_text(LegalPage.Kind.PRIVACY),
    }


def accessibility_context() -> dict[str, Any]:
    data = _setting(settings.QUARTIER_ACCESSIBILITY, ACCESSIBILITY_KEYS)
    status = data.get("status") if data.get("status") in ACCESSIBILITY_STATUSES else "partial"
    feedback_email = data["feedback_email"] or operator()["email"]
    return {
        "accessibility": data,
        "status": status,
        "feedback_email": feedback_email,
        "feedback_phone": data["feedback_phone"] or operator()["phone"],
        "operator": operator(),
        "missing": missing(data, "prepared_on", "enforcement_body")
        + ([] if feedback_email else ["feedback_email"]),
        "own_text": own_text(LegalPage.Kind.ACCESSIBILITY),
    }


def contact_context() -> dict[str, Any]:
    data = operator()
    return {
        "operator": data,
        "missing": missing(data, "name", "address", "email"),
        "feedback_email": _setting(settings.QUARTIER_ACCESSIBILITY, ACCESSIBILITY_KEYS)[
            "feedback_email"
        ]
        or data["email"],
        "own_text": own_text(LegalPage.Kind.CONTACT),
    }


def easy_language_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "operator": operator(),
        "sections": render_sections(registry.easy_sections, request, None),
        "own_text": own_text(LegalPage.Kind.EASY_LANGUAGE),
    }
