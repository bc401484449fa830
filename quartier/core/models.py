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
