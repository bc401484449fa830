"""Writes of publications: posts, newsletter sign-up and unsubscribe, bounces, newspaper
issues with their review, mailings. Keyword-only, atomic; mail only after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.core import consent
from quartier.core.tasks import enqueue_on_commit
from quartier.core.text import german_slug
from quartier.publications import html, mail, tasks, tokens
from quartier.publications.models import (
    Article,
    Issue,
    IssueStatus,
    Mailing,
    MailingStatus,
    NewsletterList,
    Post,
    Subscriber,
)

SOFT_BOUNCE_LIMIT = 3


class Conflict(Exception):
    """The write does not fit the object's state (edit after sending, ...); nothing changed."""


def _unique_slug(model: Any, text: str, *, pk: int | None = None) -> str:
    base = german_slug(text, max_length=200) or "beitrag"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- News posts ------------------------------------------------------------------------------


@transaction.atomic
def post_create(*, fields: dict[str, Any], user: Any) -> Post:
    post = Post(**fields)
    post.text = html.clean(post.text)
    post.slug = _unique_slug(Post, post.title)
    post._history_user = user
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def post_update(*, post: Post, fields: dict[str, Any], user: Any) -> Post:
    for name, value in fields.items():
        setattr(post, name, value)
    post.text = html.clean(post.text)
    post._history_user = user
    post.full_clean()
    post.save()
    return post


# --- Newsletter lists and subscribers ----------------------------------------------------------


@transaction.atomic
def list_create(*, fields: dict[str, Any], user: Any) -> NewsletterList:
    newsletter = NewsletterList(**fields)
    newsletter.slug = _unique_slug(NewsletterList, newsletter.name)
    newsletter._history_user = user
    newsletter.full_clean()
    newsletter.save()
    return newsletter


@transaction.atomic
def list_update(*, newsletter: NewsletterList, fields: dict[str, Any], user: Any) -> NewsletterList:
    old_text = NewsletterList.objects.get(pk=newsletter.pk).consent_text
    for name, value in fields.items():
        setattr(newsletter, name, value)
    if newsletter.consent_text.strip() != old_text.strip():
        newsletter.consent_version += 1
    newsletter._history_user = user
    newsletter.full_clean()
    newsletter.save()
    return newsletter


@dataclass(frozen=True)
class SignUp:
    subscriber: Subscriber
    mailed: bool


def subscriber_set_language(*, subscriber: Subscriber, language: str) -> int:
    """The language of every active subscription of the subscriber's address; the number
    of subscriptions changed."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    return (
        Subscriber.objects.active()
        .filter(email=subscriber.email)
        .exclude(language=language)
        .update(language=language)
    )


@transaction.atomic
def subscriber_sign_up(*, newsletter: NewsletterList, email: str, language: str) -> SignUp:
    """Sign an address up (double opt-in): store it unconfirmed and mail the confirmation link.

    Signing up again: an unconfirmed address gets the link again; a confirmed one a note that
    it is subscribed (with the manage link), so the page never tells strangers who reads what;
    an unsubscribed or bounced one starts afresh (unconfirmed, new consent needed).
    """
    if not newsletter.is_active:
        raise Conflict(_("This newsletter takes no new subscribers."))
    address = email.strip().lower()
    subscriber = (
        Subscriber.objects.select_for_update().filter(newsletter=newsletter, email=address).first()
    )
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    newsletter=newsletter, email=address, language=language[:10]
                )
        except IntegrityError:  # the same sign-up at the same moment
            subscriber = Subscriber.objects.get(newsletter=newsletter, email=address)
    elif subscriber.unsubscribed_at or subscriber.bounced_at:
        subscriber.confirmed_at = subscriber.unsubscribed_at = subscriber.bounced_at = None
        subscriber.consent_version = None
        subscriber.consent_text = ""
        subscriber.soft_bounces = 0
        subscriber.language = language[:10]
        subscriber.save()
    enqueue_on_commit(mail.send_confirmation, subscriber.pk)
    return SignUp(subscriber=subscriber, mailed=True)


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber | None:
    """Confirm by the signed link, recording the consent (time and text version)."""
    pk = tokens.read_confirm(token)
    subscriber = (
        Subscriber.objects.select_for_update().select_related("newsletter").filter(pk=pk).first()
    )
    if subscriber is None or subscriber.unsubscribed_at is not None:
        return None
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.consent_version = subscriber.newsletter.consent_version
        subscriber.consent_text = subscriber.newsletter.consent_text
        subscriber.save(update_fields=["confirmed_at", "consent_version", "consent_text"])
        consent.record(subscriber, purpose="publications.subscriber", text=subscriber.consent_text)
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber_id: int) -> bool:
    """End the subscription; True when this call ended it (False: it had ended already).

    The row stays, without consent, for the retention period (proof of the withdrawal, and
    so that a mailing in progress skips it); the purge deletes it then.
    """
    updated = Subscriber.objects.filter(pk=subscriber_id, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    return bool(updated)


def bounce_record(*, email: str, permanent: bool) -> int:
    """A bounce for an address (webhook or mailbox): a permanent one marks it at once, a
    temporary one after SOFT_BOUNCE_LIMIT. Returns the subscriptions marked bounced."""
    address = email.strip().lower()
    with transaction.atomic():
        rows = Subscriber.objects.select_for_update().filter(email=address, bounced_at__isnull=True)
        marked = 0
        now = timezone.now()
        for subscriber in rows:
            subscriber.soft_bounces += 0 if permanent else 1
            if permanent or subscriber.soft_bounces >= SOFT_BOUNCE_LIMIT:
                subscriber.bounced_at = now
                marked += 1
            subscriber.save(update_fields=["soft_bounces", "bounced_at"])
    return marked


def retention_days() -> int:
    return int(getattr(settings, "QUARTIER_NEWSLETTER_RETENTION_DAYS", 30))


@transaction.atomic
def subscribers_purge(*, now: dt.datetime, dry_run: bool = False) -> dict[str, int]:
    """Delete unconfirmed sign-ups after a week, unsubscribed and bounced addresses after the
    retention period."""
    from quartier.publications.models import UNCONFIRMED_DAYS

    keep = dt.timedelta(days=retention_days())
    expired = {
        "unconfirmed newsletter sign-ups": Subscriber.objects.filter(
            confirmed_at__isnull=True,
            unsubscribed_at__isnull=True,
            created_at__lt=now - dt.timedelta(days=UNCONFIRMED_DAYS),
        ),
        "unsubscribed newsletter addresses": Subscriber.objects.filter(
            unsubscribed_at__lt=now - keep
        ),
        "bounced newsletter addresses": Subscriber.objects.filter(
            unsubscribed_at__isnull=True, bounced_at__lt=now - keep
        ),
    }
    counts = {kind: rows.count() for kind, rows in expired.items()}
    if not dry_run:
        for rows in expired.values():
            rows.delete()
    return counts


# --- Newspaper issues ---------------------------------------------------------------------------


def _editable(issue: Issue) -> None:
    if issue.mailings.exists():
        raise Conflict(
            _(
                "This issue has been sent by e-mail and can no longer be changed. Please make "
                "corrections in a new issue."
            )
        )


@transaction.atomic
def issue_create(*, fields: dict[str, Any], user: Any) -> Issue:
    issue = Issue(**fields)
    issue.editorial = html.clean(issue.editorial)
    issue._history_user = user
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, fields: dict[str, Any], user: Any) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    for name, value in fields.items():
        setattr(issue, name, value)
    issue.editorial = html.clean(issue.editorial)
    if issue.status != IssueStatus.DRAFT:  # a change needs a new review
        issue.status = IssueStatus.DRAFT
        issue.approved_by = None
    issue._history_user = user
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def article_add(
    *, issue: Issue, user: Any, title: str = "", text: str = "", post: Post | None = None
) -> Article:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    if post is not None:
        title = title or post.title
        text = text or (f"<p><strong>{post.teaser}</strong></p>" + post.text)
    if not title.strip():
        raise ValidationError(_("An article needs a title."))
    position = issue.articles.count() + 1
    article = Article(issue=issue, post=post, title=title, text=html.clean(text), position=position)
    article._history_user = user
    article.save()
    if issue.status != IssueStatus.DRAFT:
        issue.status = IssueStatus.DRAFT
        issue.approved_by = None
        issue._history_user = user
        issue.save(update_fields=["status", "approved_by", "updated_at"])
    return article


@transaction.atomic
def issue_submit(*, issue: Issue, user: Any) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    if issue.status != IssueStatus.DRAFT:
        raise Conflict(_("Only a draft can be submitted for review."))
    issue.status = IssueStatus.REVIEW
    issue.submitted_by = user
    issue._history_user = user
    issue.save(update_fields=["status", "submitted_by", "updated_at"])
    return issue


@transaction.atomic
def issue_approve(*, issue: Issue, user: Any, publish_at: dt.datetime) -> Issue:
    """The second person approves and schedules the publication."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    if issue.status != IssueStatus.REVIEW:
        raise Conflict(_("Only an issue in review can be approved."))
    if issue.submitted_by_id == user.pk:
        raise Conflict(_("A second person must review the issue: you submitted it yourself."))
    issue.status = IssueStatus.SCHEDULED
    issue.approved_by = user
    issue.publish_at = publish_at
    issue._history_user = user
    issue.save(update_fields=["status", "approved_by", "publish_at", "updated_at"])
    return issue


# --- Mailings --------------------------------------------------------------------------------


@transaction.atomic
def mailing_start(*, issue: Issue, newsletter: NewsletterList, user: Any) -> Mailing:
    """Queue the e-mail edition of a published issue for one list; the worker sends it."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_published:
        raise Conflict(_("Only a published issue can be sent."))
    existing = Mailing.objects.filter(issue=issue, newsletter=newsletter).first()
    if existing is not None:
        if existing.status == MailingStatus.DONE:
            raise Conflict(_("This issue has already been sent to this newsletter."))
        raise Conflict(_("This issue is being sent to this newsletter right now."))
    mailing = Mailing.objects.create(
        issue=issue,
        newsletter=newsletter,
        started_by=user,
        total=newsletter.subscribers.active().count(),
    )
    enqueue_on_commit(tasks.mailing_send, mailing.pk)
    return mailing
