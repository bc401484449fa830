from django.urls import path

from quartier.concerns import views

app_name = "concerns"

urlpatterns = [
    path("anliegen/", views.concern_list, name="list"),
    path("anliegen/karte.geojson", views.geojson, name="geojson"),
    path("anliegen/melden/", views.report, name="report"),
    path("anliegen/in-der-naehe/", views.nearby, name="nearby"),
    path("anliegen/verfolgen/<str:token>/", views.track, name="track"),
    path("anliegen/<int:pk>/", views.detail, name="detail"),
]
