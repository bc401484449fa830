from django.contrib import admin

from quartier.search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["terms", "note"]
    search_fields = ["terms"]
