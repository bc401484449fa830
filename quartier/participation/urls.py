from django.urls import path

from quartier.participation import views

app_name = "participation"

urlpatterns = [
    path("beteiligung/", views.round_list, name="list"),
    path("beteiligung/<slug:slug>/", views.round_detail, name="round"),
    path("beteiligung/<slug:slug>/vorschlagen/", views.propose, name="propose"),
    path("beteiligung/<slug:slug>/umfrage/", views.survey_start, name="survey"),
    path("beteiligung/<slug:slug>/ergebnisse/", views.results, name="results"),
    path("beteiligung/<slug:slug>/ergebnisse.csv", views.results_csv, name="results_csv"),
    path("beteiligung/vorschlag/<int:pk>/", views.proposal_detail, name="proposal"),
    path("beteiligung/vorschlag/<int:pk>/unterstuetzen/", views.support, name="support"),
    path("beteiligung/antworten/<str:token>/", views.answer, name="answer"),
]
