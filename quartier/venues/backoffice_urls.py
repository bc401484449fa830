from django.urls import path

from quartier.venues import backoffice_views as views

app_name = "venues"

urlpatterns = [
    path("", views.index, name="index"),
    path("buchungen/<int:pk>/", views.booking_detail, name="booking"),
    path("buchungen/<int:pk>/verlauf/", views.booking_history, name="booking_history"),
    path("buchungen/<int:pk>/entscheiden/", views.booking_decide, name="booking_decide"),
    path("buchungen/<int:pk>/absagen/", views.booking_cancel, name="booking_cancel"),
    path("buchungen/<int:pk>/ausnahme/", views.booking_skip, name="booking_skip"),
    path("raeume/<int:pk>/buchen/", views.booking_new, name="booking_new"),
    path("raeume/<int:pk>/bearbeiten/", views.room_edit, name="room_edit"),
    path("raeume/<int:pk>/loeschen/", views.room_delete, name="room_delete"),
    path("raeume/<int:pk>/fotos/", views.room_photos, name="room_photos"),
    path("haeuser/<int:pk>/bearbeiten/", views.venue_edit, name="venue_edit"),
]
