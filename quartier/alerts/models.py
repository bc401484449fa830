"""Saved searches, area alerts and news alerts: who wants a digest of new and changed offers
or of another app's news (new events by area and topic), and how often.

Personal data: the subscriber's e-mail address (or the account it belongs to). It is shown only
to its owner, never on a public page or in the API. Retention (docs/privacy-alerts.md): a
subscription is deleted on unsubscribe; one never confirmed is deleted after
UNCONFIRMED_DAYS; an account's subscriptions go with the account.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNCONFIRMED_DAYS = 7
INVALID_DAYS = 30


# What someone agrees to with an alert (shown on the form, recorded on confirmation with
# core/consent.py: the version is a hash of this source string).
CONSENT_TEXT = _(
    "I would like e-mails about new offers and events for this alert. My e-mail address is "
    "stored for this until I end the alert with the link in every e-mail."
)


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


class Kind(models.TextChoices):
    SEARCH = "search", _("saved search")
    AREA = "area", _("area alert")
    # Another app's news (alerts/sources.py: new events, new concerns) by area and/or topic.
    NEWS = "news", _("news alert")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def stale_unconfirmed(self, now: dt.datetime) -> SubscriptionQuerySet:
        cutoff = now - dt.timedelta(days=UNCONFIRMED_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)

    def stale_invalid(self, now: dt.datetime) -> SubscriptionQuerySet:
        cutoff = now - dt.timedelta(days=INVALID_DAYS)
        return self.filter(filters_invalid_since__lt=cutoff)


class Subscription(models.Model):
    """One saved search (text and filters of the search page) or one area, with a schedule."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_subscriptions",
        verbose_name=_("account"),
    )
    # Only for subscribers without an account; an account's address is read when sending.
    email = models.EmailField(_("e-mail address"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    query = models.CharField(_("search text"), max_length=500, blank=True)
    # The search page's filters as its query string (topic=…&group=…), parsed by its form.
    params = models.CharField(_("filters"), max_length=2000, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    # A news alert's source (alerts/sources.py), instead of offers.
    source = models.CharField(_("news source"), max_length=40, blank=True)
    # A news alert's topics, for sources that take them (events); narrower topics count too.
    topics = models.ManyToManyField(
        "offers.TaxonomyTerm", blank=True, related_name="+", verbose_name=_("topics")
    )
    label = models.CharField(_("description"), max_length=300)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(_("language"), max_length=10, default="de")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    # Set (and the subscriber told once) when the digest finds filters the search page no
    # longer accepts; cleared when they work again (services.digests_send).
    filters_invalid_since = models.DateTimeField(_("filters invalid since"), null=True, blank=True)

    # The consent (core.ConsentRecord, time and text version), gone with the row.
    consents = GenericRelation("core.ConsentRecord")

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="alerts_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="alerts_has_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(kind="area") | Q(area__isnull=False), name="alerts_area_has_area"
            ),
            models.CheckConstraint(
                condition=Q(kind="news", source__gt="") | (~Q(kind="news") & Q(source="")),
                name="alerts_news_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def recipient(self) -> str:
        return self.user.email if self.user_id else self.email

    @property
    def since(self) -> dt.datetime:
        return self.last_sent_at or self.confirmed_at or self.created_at or timezone.now()
