from django.contrib import admin

from quartier.core.admin import VocabularyAdmin
from quartier.events.models import Category


@admin.register(Category)
class CategoryAdmin(VocabularyAdmin):
    pass
