"""Django admin for platform admins: venues with opening hours, closing days, rooms, photos.

Bookings are read-only here: they must go through the services (cells, mails)."""

from django.contrib import admin

from quartier.venues.models import Booking, ClosingDay, OpeningHours, Room, RoomPhoto, Venue


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosingDayInline(admin.TabularInline):
    model = ClosingDay
    extra = 0


class RoomPhotoInline(admin.TabularInline):
    model = RoomPhoto
    extra = 0


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "area", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["organisation", "area"]
    inlines = [OpeningHoursInline, ClosingDayInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "capacity", "is_active", "approval"]
    list_filter = ["venue", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["bookable_by", "bookable_by_bodies"]
    inlines = [RoomPhotoInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["title", "room", "start", "status", "source"]
    list_filter = ["status", "source", "room__venue"]
    search_fields = ["title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
