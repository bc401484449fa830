from django.urls import path

from quartier.directory import backoffice_views as views

app_name = "directory"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("neu/", views.organisation_create, name="organisation_create"),
    path("organisationen/<slug:slug>/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisationen/<slug:slug>/verlauf/",
        views.organisation_history,
        name="organisation_history",
    ),
    path(
        "organisationen/<slug:slug>/notizen/",
        views.partner_note_add,
        name="partner_note_add",
    ),
    path(
        "organisationen/<slug:slug>/notizen/<int:pk>/",
        views.partner_note_edit,
        name="partner_note_edit",
    ),
    path("organisationen/<slug:slug>/personen/neu/", views.person_create, name="person_create"),
    path("personen/", views.person_list, name="person_list"),
    path("personen/<int:pk>/", views.person_edit, name="person_edit"),
    path("personen/<int:pk>/verlauf/", views.person_history, name="person_history"),
    path("positionen/<int:pk>/beenden/", views.position_end_view, name="position_end"),
    path("rollen/", views.area_roles, name="area_roles"),
    path("rollen/<int:pk>/entziehen/", views.area_role_revoke_view, name="area_role_revoke"),
]
