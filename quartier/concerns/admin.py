"""Categories (the Open311 services) and their questions are kept by platform admins here."""

from django.contrib import admin

from quartier.concerns.models import Category, CategoryAttribute


class AttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "group", "is_active", "position"]
    search_fields = ["name", "name_en", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AttributeInline]
