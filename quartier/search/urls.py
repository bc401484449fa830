from django.urls import path

from quartier.search import views

app_name = "search"

urlpatterns = [
    path("angebote/", views.search, name="search"),
    path("angebote/karte/", views.map_view, name="map"),
    path("angebote/passgenaue-hilfe/", views.guided, name="guided"),
]
