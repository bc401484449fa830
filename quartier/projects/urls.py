from django.urls import path

from quartier.projects import views

app_name = "projects"

urlpatterns = [
    path("projekte/", views.project_list, name="list"),
    path("projekte/<slug:slug>/", views.project_detail, name="detail"),
]
