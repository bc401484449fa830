from django.urls import path

from quartier.events import backoffice

app_name = "events"

urlpatterns = [
    path("", backoffice.event_list, name="list"),
    path("neu/", backoffice.event_create, name="create"),
    path("<int:pk>/", backoffice.event_edit, name="edit"),
    path("<int:pk>/verlauf/", backoffice.event_history, name="history"),
    path("<int:pk>/absagen/", backoffice.event_cancel, name="cancel"),
    path("<int:pk>/teilnehmende/", backoffice.event_people, name="people"),
    path("feeds/", backoffice.feed_list, name="feeds"),
    path("feeds/<int:pk>/import/", backoffice.feed_import, name="feed_import"),
]
