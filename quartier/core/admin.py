from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from quartier.core.models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ("kind", "language", "updated_at")
    list_filter = ("kind", "language")


class VocabularyAdmin(admin.ModelAdmin):
    """Names of a vocabulary held as data (core/vocabulary.py), German and English.

    Terms come from the shipped data files (offers/taxonomy.py) and data migrations, and other
    rows point at them: here platform admins correct and translate their names; adding and
    deleting stay with the loaders.
    """

    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    fields = ["name", "name_en"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
