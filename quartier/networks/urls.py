from django.urls import path

from quartier.networks.views import public

app_name = "networks"

urlpatterns = [
    path("netzwerke/", public.body_list, name="list"),
    path("netzwerke/sitzungen/<int:pk>/", public.meeting_detail, name="meeting"),
    path("netzwerke/antwort/<str:token>/", public.rsvp, name="rsvp"),
    path("netzwerke/kalender/<str:token>.ics", public.person_feed, name="person_feed"),
    path(
        "netzwerke/organisationen/<slug:slug>/termine.ics",
        public.organisation_feed,
        name="organisation_feed",
    ),
    path(
        "netzwerke/dokumente/<int:pk>/v<int:number>/",
        public.document_download,
        name="document",
    ),
    path("netzwerke/<slug:slug>/", public.body_detail, name="body"),
    path("netzwerke/<slug:slug>/beitreten/", public.body_join, name="join"),
    path(
        "netzwerke/<slug:slug>/beitreten/neue-organisation/",
        public.organisation_request,
        name="organisation_request",
    ),
    path("netzwerke/<slug:slug>/kontakt/", public.body_contact, name="contact"),
    path("netzwerke/<slug:slug>/termine.ics", public.body_feed, name="body_feed"),
]
