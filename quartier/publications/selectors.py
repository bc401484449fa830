"""Reads of publications: public posts, the archive, an issue's edition with its sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from quartier.areas.selectors import descendant_ids
from quartier.core.registry import NewspaperItem, NewspaperSection, registry
from quartier.publications.models import Article, Issue, NewsletterList, Post


def public_posts(*, area: Any = None, body: Any = None, tag: str = "") -> QuerySet[Post]:
    """Published posts, newest first; an area includes the areas below it. Posts of bodies
    that are not public are left out."""
    posts = (
        Post.objects.published()
        .filter(Q(body__isnull=True) | Q(body__is_public=True))
        .select_related("organisation", "area", "body")
    )
    if area is not None:
        posts = posts.filter(area_id__in=descendant_ids([area.pk]))
    if body is not None:
        posts = posts.filter(body=body)
    if tag:
        posts = posts.filter(tags__icontains=tag)
    return posts.order_by("-published_at", "-pk")


def public_post(slug: str) -> Post:
    return public_posts().get(slug=slug)


def open_lists() -> QuerySet[NewsletterList]:
    return NewsletterList.objects.filter(is_active=True).select_related("area", "body")


def archive() -> QuerySet[Issue]:
    return Issue.objects.published().select_related("area", "organisation")


@dataclass
class Edition:
    issue: Issue
    articles: list[Article]
    sections: list[tuple[NewspaperSection, list[NewspaperItem]]]


def edition(issue: Issue) -> Edition:
    """Everything one edition shows (web, print, e-mail): articles, then the automatic
    sections that have entries for the issue's area and period."""
    articles = list(issue.articles.all())
    sections = []
    for section in registry.newspaper_sections:
        items = section.items(issue.area, issue.period_start, issue.period_end)
        if items:
            sections.append((section, items))
    return Edition(issue=issue, articles=articles, sections=sections)
