from django.urls import path

from quartier.areas import backoffice_views as views

app_name = "areas"

urlpatterns = [
    path("", views.area_list, name="list"),
    path("neu/", views.area_create, name="create"),
    path("<slug:slug>/", views.area_edit, name="edit"),
    path("<slug:slug>/verlauf/", views.area_history, name="history"),
]
