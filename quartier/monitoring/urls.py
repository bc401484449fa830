from django.urls import path

from quartier.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("sozialmonitoring/<slug:slug>/", views.area, name="area"),
    path("sozialmonitoring/<slug:slug>/<slug:indicator>/", views.trend, name="trend"),
    path("sozialmonitoring/<slug:slug>/<slug:indicator>/karte/", views.indicator_map, name="map"),
]
