"""Joint statements (Stellungnahmen) of a body: drafted with versions and internal comments,
co-signed by member organisations, published by the coordination.

States: draft -> open for signature -> published. Every saved change of title or text is a
`StatementVersion` (kept readable, compared in a diff view); comments belong to a version and
are internal. A `Signature` is given by the person who may sign for a member organisation
(networks `Delegate.may_sign`) and can be withdrawn until publication. Publishing freezes the
text and the signers and stores the PDF as a public networks `Document` (kind "statement"),
which OParl shows as a Paper of the body (api/oparl).

Nothing here is public before publication; a published statement shows its text, its
signing organisations and their dates, never who signed for them nor the comments.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel

# A statement is a page or a few, not a book: longer texts are refused with a clear message.
MAX_TEXT = 50_000


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for signature")
    PUBLISHED = "published", _("published")


class StatementQuerySet(models.QuerySet):
    def published(self) -> StatementQuerySet:
        return self.filter(state=State.PUBLISHED, body__is_public=True)


class Statement(TimeStampedModel):
    body = models.ForeignKey(
        "networks.Body",
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("body"),
    )
    title = models.CharField(_("title"), max_length=300)
    topic = models.ForeignKey(
        "networks.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("topic"),
    )
    areas = models.ManyToManyField(
        "areas.Area", related_name="statements", verbose_name=_("areas"), blank=True
    )
    text = models.TextField(_("text"), max_length=MAX_TEXT)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    opened_at = models.DateTimeField(_("open for signature since"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    document = models.OneToOneField(
        "networks.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statement",
        verbose_name=_("published document"),
    )

    history = HistoricalRecords(excluded_fields=["text"])
    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint statement")
        verbose_name_plural = _("joint statements")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="statement_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statements:detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED


class StatementVersion(models.Model):
    """The title and text as saved once; numbers count up from 1 and are never changed."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("statement")
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement version")
        verbose_name_plural = _("statement versions")
        ordering = ["statement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="statementversion_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="statementversion_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.statement} v{self.number}"


class Comment(models.Model):
    """A member's remark on one version; internal, never public."""

    version = models.ForeignKey(
        StatementVersion,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("version"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.version}: {self.text[:40]}"


class SignatureQuerySet(models.QuerySet):
    def valid(self) -> SignatureQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Signature(models.Model):
    """A member organisation co-signs; a withdrawn signature stays as a record until the
    statement is published (then only valid ones remain shown)."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("statement")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="statement_signatures",
        verbose_name=_("organisation"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_on = models.DateField(_("signed on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    history = HistoricalRecords()
    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["statement", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="signature_one_valid_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.statement}"
