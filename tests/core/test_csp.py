"""The Content Security Policy: sent on every page, without 'unsafe-inline' or 'unsafe-eval',
and no template holds what it would block.

The policy is in settings.py; the browser check that real pages (Leaflet and htmx included)
report no violation is tests/e2e/test_csp.py. The scan reads every template of the project
(quartier/templates and each app's templates/) as text, so a template added later is covered
at once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

import quartier

PACKAGE = Path(quartier.__file__).resolve().parent
ROOT = PACKAGE.parent

# Templates that only WeasyPrint renders into a PDF (never sent to a browser): their <style>
# is the PDF's layout, outside any Content Security Policy.
PDF_SOURCES = {
    "quartier/networks/templates/networks/manage/report_pdf.html",
    "quartier/offers/templates/offers/export/area.html",
    "quartier/publications/templates/publications/print.html",
    "quartier/projects/templates/projects/report/print.html",
    "quartier/statements/templates/statements/print.html",
}
# <script> elements that hold data, which browsers never run (json_script, JSON-LD).
DATA_TYPES = {"application/json", "application/ld+json"}

SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
SRC = re.compile(r"\bsrc\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
# An attribute inside a tag: style="...", on<event>="...", hx-on..., a javascript: URL.
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.I | re.S)
HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I | re.S)
HX_ON = re.compile(r"<[a-z][^>]*?\s(?:data-)?hx-on", re.I | re.S)
JS_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)
COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)


def templates() -> list[Path]:
    found = sorted((PACKAGE / "templates").rglob("*.html"))
    found += sorted(PACKAGE.glob("*/templates/**/*.html"))
    found += sorted(PACKAGE.glob("*/*/templates/**/*.html"))  # nested apps (api.hsds)
    return sorted(set(found))


def problems(text: str) -> list[str]:
    """What the policy would block in a template's text, one line each."""
    text = COMMENT.sub("", text)
    found = []
    for match in SCRIPT.finditer(text):
        attrs, body = match["attrs"], match["body"]
        kind = TYPE.search(attrs)
        if kind and kind.group(1).lower() in DATA_TYPES:
            continue
        if not SRC.search(attrs):
            found.append(f"inline <script>: {match.group(0)[:80]!r}")
        elif body.strip():
            found.append(f"<script src> with a body: {match.group(0)[:80]!r}")
    for pattern, label in (
        (STYLE_ELEMENT, "<style> element"),
        (STYLE_ATTRIBUTE, "style attribute"),
        (HANDLER, "on...= event handler"),
        (HX_ON, "hx-on attribute (htmx evaluates it as code)"),
        (JS_URL, "javascript: URL"),
    ):
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.end()) + 1
            found.append(f"{label} on line {line}: {match.group(0)[-60:]!r}")
    return found


def test_the_scan_finds_each_kind_of_inline_code() -> None:
    assert problems("<script>alert(1)</script>")
    assert problems('<script src="/a.js">alert(1)</script>')
    assert problems("<style>p { color: red }</style>")
    assert problems('<div class="a"\n     style="height: 3rem">')
    assert problems('<button type="button" onclick="go()">')
    assert problems('<form hx-on:htmx:before-swap="x()">')
    assert problems('<a href="javascript:void(0)">')
    assert not problems('<script src="/static/js/site.js" defer></script>')
    assert not problems('<script type="application/ld+json">{"@type": "Event"}</script>')
    assert not problems('<script id="d" type="application/json">{"a": 1}</script>')
    assert not problems('<p class="styled" data-online="1">Stil: online</p>')
    assert not problems("{% comment %}<script>x()</script>{% endcomment %}")


def test_no_template_holds_inline_code_or_styles() -> None:
    found = templates()
    assert len(found) > 50, "the scan sees the templates"
    failures = {}
    for path in found:
        name = str(path.relative_to(ROOT))
        if name in PDF_SOURCES:
            continue
        if errors := problems(path.read_text(encoding="utf-8")):
            failures[name] = errors
    assert not failures, (
        "The Content-Security-Policy blocks inline code and styles: move scripts to "
        "quartier/static/js/ (data through data- attributes or json_script) and styles to "
        f"quartier.css classes. {failures}"
    )


def test_pdf_sources_are_still_only_pdf_sources() -> None:
    for name in PDF_SOURCES:
        assert (ROOT / name).is_file(), f"{name} is gone: drop it from PDF_SOURCES"


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/angebote/", "/nicht-vorhanden/", "/api/docs"])
def test_every_page_is_sent_with_a_strict_policy(client, url) -> None:
    response = client.get(url)
    assert "Content-Security-Policy-Report-Only" not in response
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_map_tiles_are_the_only_foreign_images(client) -> None:
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["connect-src"] == ["'self'"]


def test_report_only_is_not_the_default() -> None:
    assert settings.QUARTIER_CSP_REPORT_ONLY is False
    assert not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


def test_htmx_adds_no_styles_and_runs_no_code_from_attributes() -> None:
    base = (PACKAGE / "templates" / "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base
    css = (PACKAGE / "static" / "css" / "quartier.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css
