"""Documents of a body (OParl Paper) and their file versions (OParl File)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quartier.core.models import TimeStampedModel
from quartier.networks.models.bodies import Body, Visibility


class DocumentKind(models.TextChoices):
    FOUNDING = "founding", _("founding document")
    CONCEPT = "concept", _("framework concept")
    STATEMENT = "statement", _("joint statement")
    AGENDA_DOCUMENT = "agenda", _("document for an agenda item")
    MINUTES = "minutes", _("minutes attachment")
    REPORT = "report", _("report")
    OTHER = "other", _("other")


class DocumentQuerySet(models.QuerySet):
    def public(self) -> DocumentQuerySet:
        return self.filter(visibility=Visibility.PUBLIC, body__is_public=True)

    def statements(self) -> DocumentQuerySet:
        return self.filter(kind=DocumentKind.STATEMENT)


class Document(TimeStampedModel):
    """A document of a body: a founding paper, a joint statement, a paper for an agenda item.

    The content lives in versions; the newest version is the current one.
    """

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="documents", verbose_name=_("body")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    meeting = models.ForeignKey(
        "networks.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        "networks.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "title"]
        indexes = [models.Index(fields=["body", "kind"], name="document_body_kind_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


def _version_path(instance: DocumentVersion, filename: str) -> str:
    # A random directory keeps names unguessable and lets two versions share a file name.
    return f"networks/documents/{instance.document.body_id}/{uuid.uuid4().hex}/{filename}"


class DocumentVersion(models.Model):
    """One uploaded file of a document; numbers count up from 1."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_path, max_length=500)
    file_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documentversion_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="documentversion_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
