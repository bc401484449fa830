"""Filters for the e-mail edition: plain text of clean HTML, absolute links and images."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from quartier.publications import html

register = template.Library()


@register.filter
def plain(value: str) -> str:
    return html.plain(value)


@register.filter
def absolute_urls(value: str, site_url: str) -> SafeString:
    """Clean HTML with site-relative src/href made absolute (mail programs need them)."""
    return mark_safe(re.sub(r'(src|href)="/', rf'\1="{site_url}/', html.clean(value)))
