from django.urls import path

from quartier.areas import views

app_name = "areas"

urlpatterns = [
    path("", views.home, name="home"),
    path("gebiete/suche/", views.picker, name="picker"),
    path("gebiete/<slug:slug>/", views.detail, name="detail"),
]
