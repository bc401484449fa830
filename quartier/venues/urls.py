from django.urls import path

from quartier.venues import views

app_name = "venues"

urlpatterns = [
    path("raeume/", views.venue_list, name="index"),
    path("raeume/absage/<str:token>/", views.public_cancel, name="cancel"),
    path("raeume/bestaetigen/<str:token>/", views.public_confirm, name="confirm"),
    path("raeume/<slug:slug>/", views.venue_detail, name="venue"),
    path("raeume/<slug:venue>/<slug:slug>/", views.room_detail, name="room"),
    path("raeume/<slug:venue>/<slug:slug>/belegung/", views.availability, name="availability"),
    path("raeume/<slug:venue>/<slug:slug>/belegung.ics", views.room_ics, name="room_ics"),
    path("raeume/<slug:venue>/<slug:slug>/anfrage/", views.request_form, name="request"),
]
