from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for our models: creation and modification times, kept by the database layer."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class PageGeneration(models.Model):
    """One row (id 1): the content generation of the public page cache (core/pagecache.py)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("page cache generation")
        verbose_name_plural = _("page cache generations")

    def __str__(self) -> str:
        return str(self.value)


class ConsentRecord(models.Model):
    """Proof of a consent (DSGVO Art. 7(1)): which record it was given for, when, and the text
    the person saw (with `version`, a hash of the text's source string, so records of the same
    wording group together when the wording changes). Holds no personal data of its own; it is
    deleted with its record (GenericRelation on the record's model) and stays with a record
    that is kept anonymised. Written through `core/consent.py`."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    purpose = models.CharField(_("purpose"), max_length=100)
    version = models.CharField(_("text version"), max_length=16)
    text = models.TextField(_("consent text as shown"))
    language = models.CharField(_("language"), max_length=10)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["content_type", "object_id"], name="consent_object_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.version}"


class LegalPage(models.Model):
    """The deployment's own text for one legal page in one language (core/legal.py): the
    Impressum, the Datenschutzerklärung and the Erklärung zur Barrierefreiheit are generated
    from settings (QUARTIER_OPERATOR, QUARTIER_PRIVACY_CONTACTS, QUARTIER_ACCESSIBILITY) and the
    processing register; this text is added to the page (for the accessibility statement: the
    known barriers). The contact page and the easy-language page (Leichte Sprache) are the same
    kind: a template that works out of the box plus this text. Platform admins edit it in the
    Django admin."""

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Legal notice")
        PRIVACY = "privacy", _("Privacy policy")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        CONTACT = "contact", _("Contact")
        EASY_LANGUAGE = "easy_language", _("Easy Read")

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=[("de", "Deutsch"), ("en", "English")]
    )
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Shown on the page below the generated part; blank lines separate paragraphs."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("legal page text")
        verbose_name_plural = _("legal page texts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="legal_page_kind_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
