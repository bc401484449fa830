"""The small safe formatting of news and articles: headings, paragraphs, lists, links, images.

Everything else is removed by nh3 (ammonia): scripts and styles with their content, event
handler attributes, `javascript:` and `data:` URLs. Links get rel="noopener noreferrer nofollow".
`clean` runs on every write (services), so what is stored is what may be shown.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import strip_tags

TAGS = {
    "h2", "h3", "h4", "p", "br", "strong", "em", "b", "i", "ul", "ol", "li",
    "a", "img", "blockquote", "figure", "figcaption",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean(html: str) -> str:
    """The HTML with only the allowed tags, attributes and URL schemes."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def plain(html: str) -> str:
    """Readable plain text of clean HTML (for the plain-text mail and feeds' summaries)."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", html or "")
    text = re.sub(r"(?i)</(p|h[2-4]|li|blockquote|figure)>", "\n\n", text)
    text = re.sub(r"(?i)<li>", "- ", text)
    text = re.sub(r'(?i)<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", text)
    text = re.sub(r'(?i)<img [^>]*alt="([^"]*)"[^>]*>', r"[\1]", text)
    from html import unescape

    text = unescape(strip_tags(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
