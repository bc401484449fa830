from django.contrib import admin

from quartier.monitoring.models import Indicator, Value


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "unit", "denominator", "base", "is_public"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "year", "value", "suppressed"]
    list_filter = ["indicator", "year"]
    raw_id_fields = ["area"]
