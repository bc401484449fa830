from django.contrib import admin

from quartier.core.admin import VocabularyAdmin
from quartier.offers.models import Language, TargetGroup, TaxonomyTerm


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(VocabularyAdmin):
    list_display = ["name", "name_en", "code", "taxonomy"]
    list_filter = ["taxonomy"]


@admin.register(TargetGroup)
class TargetGroupAdmin(VocabularyAdmin):
    pass


@admin.register(Language)
class LanguageAdmin(VocabularyAdmin):
    list_display = ["name", "name_en", "code"]
