from django.contrib import admin

from quartier.core.admin import VocabularyAdmin
from quartier.networks.models import BodyKind, Topic


@admin.register(BodyKind)
class BodyKindAdmin(VocabularyAdmin):
    list_display = ["name", "name_en", "name_plural", "name_plural_en"]
    fields = ["name", "name_en", "name_plural", "name_plural_en"]


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    pass
