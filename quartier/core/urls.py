from django.urls import path

from quartier.core import media, views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("media/<path:path>", media.serve_media, name="media"),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy_policy, name="privacy_policy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("kontakt/", views.contact, name="contact"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
]
