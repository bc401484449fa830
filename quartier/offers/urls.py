from django.urls import path

from quartier.offers import export, views

app_name = "offers"

urlpatterns = [
    path("angebote/<uuid:pk>/", views.detail, name="detail"),
    path("angebote/<uuid:pk>/leichte-sprache/", views.easy, name="easy"),
    path("angebote/<uuid:pk>/druck/", views.print_view, name="print"),
    path("gebiete/<slug:slug>/angebote.pdf", export.area_pdf, name="area_pdf"),
    path("gebiete/<slug:slug>/angebote.csv", export.area_csv, name="area_csv"),
]
