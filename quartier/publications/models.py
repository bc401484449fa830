"""News posts, newsletter lists and their subscribers, district newspaper issues, mailings.

Personal data: a subscriber's e-mail address, language, consent (time and text version) and
delivery state. Shown only to the subscriber (by signed link), never on a public page or in
the API; senders see counts, not addresses. Retention (docs/privacy-publications.md):
unconfirmed sign-ups go after UNCONFIRMED_DAYS, unsubscribed and bounced addresses after
`settings.QUARTIER_NEWSLETTER_RETENTION_DAYS` (retention.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel

UNCONFIRMED_DAYS = 7


class PostQuerySet(models.QuerySet):
    def published(self, now: dt.datetime | None = None) -> PostQuerySet:
        return self.filter(published_at__isnull=False, published_at__lte=now or timezone.now())


class Post(TimeStampedModel):
    """A news post of an organisation, about an area or for a body (network)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=220, unique=True)
    teaser = models.CharField(_("teaser"), max_length=500)
    # Sanitised HTML (quartier.publications.html.clean) : headings, lists, links, images.
    text = models.TextField(_("text"), blank=True)
    image = models.ImageField(_("image"), upload_to="publications/%Y/", blank=True)
    image_alt = models.CharField(_("image description (alt text)"), max_length=250, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="news_posts",
        verbose_name=_("author organisation"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_posts",
        verbose_name=_("area"),
    )
    body = models.ForeignKey(
        "networks.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_posts",
        verbose_name=_("body"),
    )
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    # Empty: a draft. In the future: scheduled.
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["published_at"], name="publications_post_pub_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:post", kwargs={"slug": self.slug})

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class NewsletterList(TimeStampedModel):
    """A newsletter of an organisation for an area or a body; residents sign up by e-mail."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="newsletter_lists",
        verbose_name=_("sender organisation"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_lists",
        verbose_name=_("area"),
    )
    body = models.ForeignKey(
        "networks.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_lists",
        verbose_name=_("body"),
    )
    consent_text = models.TextField(
        _("consent text"),
        help_text=_("What subscribers agree to; a change starts a new version."),
    )
    consent_version = models.PositiveIntegerField(_("consent text version"), default=1)
    is_active = models.BooleanField(_("open for sign-up"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("publications:subscribe", kwargs={"slug": self.slug})


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> SubscriberQuerySet:
        return self.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True, bounced_at__isnull=True
        )


class Subscriber(models.Model):
    """One address on one list. Consent: when, and which version of the list's text."""

    newsletter = models.ForeignKey(
        NewsletterList,
        on_delete=models.CASCADE,
        related_name="subscribers",
        verbose_name=_("newsletter"),
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, default="de")
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    consent_version = models.PositiveIntegerField(_("consent text version"), null=True)
    consent_text = models.TextField(_("consent text agreed to"), blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    soft_bounces = models.PositiveSmallIntegerField(_("temporary delivery failures"), default=0)
    # Each confirmation as a core.ConsentRecord too (time, text, version), gone with the row.
    consents = GenericRelation("core.ConsentRecord")

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "email"], name="publications_one_address_per_list"
            )
        ]
        indexes = [models.Index(fields=["email"], name="publications_sub_email_idx")]

    def __str__(self) -> str:
        return f"{self.newsletter} #{self.pk}"


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    SCHEDULED = "scheduled", _("approved, scheduled")


class IssueQuerySet(models.QuerySet):
    def published(self, now: dt.datetime | None = None) -> IssueQuerySet:
        return self.filter(
            status=IssueStatus.SCHEDULED,
            publish_at__isnull=False,
            publish_at__lte=now or timezone.now(),
        )


class Issue(TimeStampedModel):
    """An issue of a district newspaper: articles plus automatic sections for its period."""

    title = models.CharField(_("newspaper"), max_length=200)
    number = models.CharField(_("issue"), max_length=60)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="newspaper_issues",
        verbose_name=_("publisher"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="newspaper_issues",
        verbose_name=_("area"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    editorial = models.TextField(_("editorial"), blank=True)
    imprint = models.TextField(_("imprint"))
    status = models.CharField(
        _("status"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted for review by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    # The print edition, made once after publication (pdf.py) and kept for the archive.
    pdf = models.FileField(_("print edition"), upload_to="zeitung/%Y/", blank=True)

    history = HistoricalRecords(excluded_fields=["pdf"])
    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("newspaper issue")
        verbose_name_plural = _("newspaper issues")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="publications_issue_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("publications:issue", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return (
            self.status == IssueStatus.SCHEDULED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )


class Article(models.Model):
    """An article of an issue: written for it, or taken from a news post."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="articles", verbose_name=_("issue")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    post = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the news post"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class MailingStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    DONE = "done", _("sent")


class Mailing(models.Model):
    """One sending of an issue's e-mail edition to one list: progress and result."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("issue")
    )
    newsletter = models.ForeignKey(
        NewsletterList,
        on_delete=models.CASCADE,
        related_name="mailings",
        verbose_name=_("newsletter"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MailingStatus.choices, default=MailingStatus.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # Keyset position: the last subscriber handled, so a restarted worker resumes there.
    last_subscriber_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "newsletter"], name="publications_one_mailing_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.newsletter}"


class DeliveryFailure(models.Model):
    """A recipient the mail server refused (after retries), for the sender's result page."""

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="failures", verbose_name=_("mailing")
    )
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("subscriber"),
    )
    error = models.CharField(_("error"), max_length=300)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery failure")
        verbose_name_plural = _("delivery failures")

    def __str__(self) -> str:
        return self.error
