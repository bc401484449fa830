from django.urls import path

from quartier.statements import backoffice

app_name = "statements"

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("uebersicht/", backoffice.overview, name="overview"),
    path("neu/<slug:slug>/", backoffice.create, name="create"),
    path("<int:pk>/", backoffice.detail, name="detail"),
    path("<int:pk>/bearbeiten/", backoffice.edit, name="edit"),
    path("<int:pk>/fassung/<int:number>/", backoffice.version, name="version"),
    path("<int:pk>/fassung/<int:number>/kommentar/", backoffice.comment, name="comment"),
    path("<int:pk>/vergleich/", backoffice.compare, name="compare"),
    path("<int:pk>/zur-unterzeichnung/", backoffice.open_for_signature, name="open"),
    path("<int:pk>/unterzeichnen/", backoffice.sign, name="sign"),
    path("<int:pk>/zurueckziehen/", backoffice.withdraw, name="withdraw"),
    path("<int:pk>/veroeffentlichen/", backoffice.publish, name="publish"),
]
