from django.contrib import admin

from quartier.core.models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ("kind", "language", "updated_at")
    list_filter = ("kind", "language")
