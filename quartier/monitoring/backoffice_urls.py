from django.urls import path

from quartier.monitoring import backoffice

app_name = "monitoring"

urlpatterns = [
    path("", backoffice.indicators, name="indicators"),
    path("import/", backoffice.upload, name="upload"),
]
