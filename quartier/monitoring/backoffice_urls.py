from django.urls import path

from quartier.monitoring import backoffice

app_name = "monitoring"

urlpatterns = [
    path("", backoffice.indicators, name="indicators"),
    path("import/", backoffice.upload, name="upload"),
    path("karte/", backoffice.indicator_map, name="map"),
    path("versorgung/", backoffice.coverage_view, name="coverage"),
]
