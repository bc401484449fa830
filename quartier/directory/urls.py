from django.urls import path

from quartier.directory import views

app_name = "directory"

urlpatterns = [
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/<slug:slug>/", views.organisation_detail, name="organisation"),
]
