from django.urls import path

from quartier.projects import backoffice

app_name = "projects"

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("konzepte/neu/", backoffice.concept_create, name="concept_create"),
    path("konzepte/<int:pk>/", backoffice.concept_detail, name="concept"),
    path("konzepte/<int:pk>/handlungsfeld/", backoffice.field_add, name="field_add"),
    path("konzepte/<int:pk>/ziel/", backoffice.goal_add, name="goal_add"),
    path("konzepte/<int:pk>/kennzahl/", backoffice.indicator_add, name="indicator_add"),
    path("konzepte/<int:pk>/messwert/", backoffice.measurement_add, name="measurement_add"),
    path("konzepte/<int:pk>/import/", backoffice.measurement_import, name="import"),
    path("konzepte/<int:pk>/fortschreiben/", backoffice.concept_update, name="concept_update"),
    path("kennzahlen/<int:pk>/", backoffice.indicator_detail, name="indicator"),
    path("konzepte/<int:pk>/vergleich/<int:other>/", backoffice.concept_compare, name="compare"),
    path("projekte/neu/", backoffice.project_create, name="project_create"),
    path("projekte/<int:pk>/", backoffice.project_detail, name="project"),
    path("projekte/<int:pk>/status/", backoffice.project_status, name="project_status"),
    path("projekte/<int:pk>/meilenstein/", backoffice.milestone_add, name="milestone_add"),
    path("projekte/<int:pk>/budget/", backoffice.budget_set, name="budget_set"),
    path("projekte/<int:pk>/dateien/", backoffice.file_add, name="file_add"),
    path(
        "projekte/<int:pk>/dateien/<int:file_id>/", backoffice.file_download, name="file_download"
    ),
    path("programme/neu/", backoffice.programme_create, name="programme_create"),
    path("programme/<int:pk>/", backoffice.programme_edit, name="programme"),
    path("verstetigung/neu/", backoffice.task_create, name="task_create"),
    path("bericht/", backoffice.progress_report, name="report"),
    path("bericht/pdf/", backoffice.progress_report_pdf, name="report_pdf"),
    path("gebiet/<slug:slug>/", backoffice.area_dashboard, name="dashboard"),
    path("fonds/", backoffice.fund_index, name="funds"),
    path("fonds/neu/", backoffice.fund_create, name="fund_create"),
    path("fonds/<int:pk>/", backoffice.fund_edit, name="fund_edit"),
    path("fonds/antraege/<int:pk>/", backoffice.application_detail, name="application"),
    path(
        "fonds/antraege/<int:pk>/tagesordnung/",
        backoffice.application_agenda,
        name="application_agenda",
    ),
    path(
        "fonds/antraege/<int:pk>/beschluss/",
        backoffice.application_decide,
        name="application_decide",
    ),
    path(
        "fonds/antraege/<int:pk>/abstimmung/",
        backoffice.application_vote,
        name="application_vote",
    ),
    path(
        "fonds/antraege/<int:pk>/status/", backoffice.application_status, name="application_status"
    ),
    path("export/projekte.csv", backoffice.export_projects, name="export_projects"),
    path("export/kennzahlen.csv", backoffice.export_indicators, name="export_indicators"),
]
