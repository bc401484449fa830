from django.urls import path

from quartier.alerts import views

app_name = "alerts"

urlpatterns = [
    path("benachrichtigungen/", views.subscriptions, name="list"),
    path("benachrichtigungen/neu/", views.create, name="create"),
    path("benachrichtigungen/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("benachrichtigungen/abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("benachrichtigungen/<int:pk>/loeschen/", views.delete, name="delete"),
]
