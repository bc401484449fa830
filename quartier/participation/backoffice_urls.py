from django.urls import path

from quartier.participation import backoffice

app_name = "participation"

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("runden/neu/", backoffice.round_create, name="round_create"),
    path("runden/<int:pk>/", backoffice.round_detail, name="round"),
    path("runden/<int:pk>/umfrage/", backoffice.survey_set, name="survey_set"),
    path("runden/<int:pk>/frage/", backoffice.question_add, name="question_add"),
    path("runden/<int:pk>/codes/", backoffice.codes_generate, name="codes_generate"),
    path("runden/<int:pk>/codes/bogen/", backoffice.codes_sheet, name="codes"),
    path("runden/<int:pk>/codes/bogen.pdf", backoffice.codes_pdf, name="codes_pdf"),
    path("runden/<int:pk>/links/", backoffice.links_generate, name="links_generate"),
    path("runden/<int:pk>/ergebnisse/", backoffice.survey_results, name="results"),
    path("runden/<int:pk>/ergebnisse.csv", backoffice.survey_export, name="export"),
    path("runden/<int:pk>/kennzahl/", backoffice.result_record, name="record"),
    path("vorschlaege/<int:pk>/antwort/", backoffice.proposal_answer, name="answer"),
]
