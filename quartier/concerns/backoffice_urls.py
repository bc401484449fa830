from django.urls import path

from quartier.concerns import backoffice

app_name = "concerns"

urlpatterns = [
    path("", backoffice.inbox, name="inbox"),
    path("<int:pk>/", backoffice.detail, name="detail"),
    path("<int:pk>/status/", backoffice.set_status, name="status"),
    path("<int:pk>/antwort/", backoffice.answer, name="answer"),
    path("<int:pk>/zusammenfuehren/", backoffice.merge, name="merge"),
    path("<int:pk>/tagesordnung/", backoffice.agenda, name="agenda"),
    path("foto/<int:pk>/", backoffice.photo, name="photo"),
    path("regeln/", backoffice.rules, name="rules"),
    path("regeln/<int:pk>/loeschen/", backoffice.rule_delete, name="rule_delete"),
    path("open311/", backoffice.clients, name="clients"),
    path("open311/<int:pk>/", backoffice.client_toggle, name="client_toggle"),
    path("benachrichtigung/", backoffice.settings_view, name="settings"),
]
