from django.urls import path

from quartier.events import views

app_name = "events"

urlpatterns = [
    path("veranstaltungen/", views.calendar, name="calendar"),
    path("veranstaltungen/kalender.ics", views.feed, name="feed"),
    path("veranstaltungen/monat/<int:year>/<int:month>/", views.month, name="month"),
    path(
        "veranstaltungen/abmelden/<str:token>/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("veranstaltungen/helfen/abmelden/<str:token>/", views.signup_cancel, name="signup_cancel"),
    path(
        "veranstaltungen/bestaetigen/<str:token>/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "veranstaltungen/helfen/bestaetigen/<str:token>/",
        views.signup_confirm,
        name="signup_confirm",
    ),
    path("veranstaltungen/<slug:slug>/", views.detail, name="detail"),
    path("veranstaltungen/<slug:slug>/termin.ics", views.event_ics, name="ics"),
    path("veranstaltungen/<slug:slug>/anmelden/", views.register, name="register"),
    path(
        "veranstaltungen/<slug:slug>/helfen/<int:shift_id>/",
        views.shift_signup,
        name="shift_signup",
    ),
]
