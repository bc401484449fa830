"""Publications in the shared test world: a published post of world.organisation about
world.district for world.body, a draft post, a newsletter with subscribers, a published
issue with an article, a draft issue, and an issue sent to the newsletter.

Subscribers' addresses and drafts are never public (tests/sentinels.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from quartier.publications.models import IssueStatus, Mailing, MailingStatus
from tests import sentinels
from tests.factories.publications import (
    ArticleFactory,
    IssueFactory,
    NewsletterListFactory,
    PostFactory,
    SubscriberFactory,
)

ORDER = 150


def extend(world) -> None:
    post = PostFactory(
        title="Sommerfest im Nordviertel",
        slug="sommerfest-im-nordviertel",
        teaser="Alle sind eingeladen.",
        text=f"<h2>Programm</h2><p>{sentinels.public('news post text')}</p>",
        organisation=world.organisation,
        area=world.district,
        body=world.body,
        tags="Fest, Nachbarschaft",
    )
    draft = PostFactory(
        title=sentinels.secret("publications draft post title"),
        slug="entwurf",
        organisation=world.organisation,
        area=world.district,
        published_at=None,
    )
    newsletter = NewsletterListFactory(
        name="Viertelbrief Nord",
        slug="viertelbrief-nord",
        organisation=world.organisation,
        area=world.district,
    )
    subscriber = SubscriberFactory(newsletter=newsletter, email="leserin@example.org")
    pending = SubscriberFactory(
        newsletter=newsletter, email="neu@example.org", confirmed_at=None, consent_version=None
    )
    SubscriberFactory(newsletter=newsletter, email=sentinels.secret_email("newsletter subscriber"))
    issue = IssueFactory(
        organisation=world.organisation,
        area=world.district,
        number="1/2026",
        imprint=f"Stadtteilbüro Nord, {sentinels.public('newspaper imprint')}",
    )
    ArticleFactory(issue=issue, title="Neuer Spielplatz", post=post)
    draft_issue = IssueFactory(
        organisation=world.organisation,
        area=world.district,
        number=sentinels.secret("publications draft issue number"),
        status=IssueStatus.DRAFT,
        publish_at=None,
    )
    review_issue = IssueFactory(
        organisation=world.organisation,
        area=world.district,
        number="2/2026",
        status=IssueStatus.REVIEW,
        publish_at=None,
        submitted_by=world.users["editor"],
    )
    sent_issue = IssueFactory(
        organisation=world.organisation,
        area=world.district,
        number="0/2026",
        period_start=timezone.localdate() - dt.timedelta(days=90),
        period_end=timezone.localdate() - dt.timedelta(days=30),
    )
    mailing = Mailing.objects.create(
        issue=sent_issue,
        newsletter=newsletter,
        status=MailingStatus.DONE,
        total=2,
        sent=2,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    world.extra.update(
        post=post,
        draft_post=draft,
        newsletter=newsletter,
        subscriber=subscriber,
        pending_subscriber=pending,
        issue=issue,
        draft_issue=draft_issue,
        review_issue=review_issue,
        sent_issue=sent_issue,
        mailing=mailing,
    )
