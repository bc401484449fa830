from django.contrib import admin

from quartier.areas.models import AreaKind
from quartier.core.admin import VocabularyAdmin


@admin.register(AreaKind)
class AreaKindAdmin(VocabularyAdmin):
    list_display = ["name", "name_en", "name_plural", "name_plural_en"]
    fields = ["name", "name_en", "name_plural", "name_plural_en"]
