from django.urls import path

from quartier.accounts import backoffice_views as views
from quartier.accounts import privacy_views

app_name = "accounts"

urlpatterns = [
    path("rollen/", views.role_list, name="roles"),
    path("rollen/<int:pk>/entziehen/", views.role_revoke_view, name="role_revoke"),
    path("anmeldesicherheit/", views.security, name="security"),
    path("anmeldesicherheit/entsperren/", views.unlock, name="unlock"),
    path("datenschutz/", privacy_views.letter_request, name="privacy"),
    path("datenschutz/verzeichnis/", privacy_views.processing_register, name="processing_register"),
]
