"""Back office of the networks app, mounted at /verwaltung/networks/ (backoffice:networks)."""

from django.urls import path

from quartier.networks.views import manage, meetings, organisation_requests

app_name = "networks"

urlpatterns = [
    path("", manage.index, name="index"),
    path("neu/", manage.body_create, name="body_create"),
    path("uebersicht/", manage.overview, name="overview"),
    path("jahresbericht/<int:year>/", manage.report, name="report"),
    path("jahresbericht/<int:year>.pdf", manage.report_pdf, name="report_pdf"),
    path("kalender/", manage.calendar, name="calendar"),
    path("sitzungen/<int:pk>/", meetings.meeting_manage, name="meeting"),
    path("sitzungen/<int:pk>/bearbeiten/", meetings.meeting_edit, name="meeting_edit"),
    path("sitzungen/<int:pk>/verlauf/", meetings.meeting_history, name="meeting_history"),
    path("sitzungen/<int:pk>/absagen/", meetings.meeting_cancel, name="meeting_cancel"),
    path("sitzungen/<int:pk>/gastgeber/", meetings.host_propose, name="host_propose"),
    path("sitzungen/<int:pk>/vorschlag/", meetings.agenda_propose, name="agenda_propose"),
    path("sitzungen/<int:pk>/tagesordnung/", meetings.agenda_publish, name="agenda_publish"),
    path("sitzungen/<int:pk>/einladen/", meetings.invitations_send, name="invitations_send"),
    path("sitzungen/<int:pk>/einladen/adresse/", meetings.invite_contact, name="invite_contact"),
    path("sitzungen/<int:pk>/anwesenheit/", meetings.attendance, name="attendance"),
    path("sitzungen/<int:pk>/protokoll/", meetings.minutes_edit, name="minutes_edit"),
    path("sitzungen/<int:pk>/genehmigung/", meetings.minutes_approve, name="minutes_approve"),
    path("sitzungen/<int:pk>/beschluss/", meetings.decision_add, name="decision_add"),
    path("sitzungen/<int:pk>/aufgabe/", meetings.action_item_add, name="action_item_add"),
    path(
        "organisationsanfragen/",
        organisation_requests.organisation_request_list,
        name="organisation_requests",
    ),
    path(
        "organisationsanfragen/<int:pk>/",
        organisation_requests.organisation_request_detail,
        name="organisation_request",
    ),
    path(
        "organisationsanfragen/<int:pk>/annehmen/",
        organisation_requests.organisation_request_accept,
        name="organisation_request_accept",
    ),
    path(
        "organisationsanfragen/<int:pk>/ablehnen/",
        organisation_requests.organisation_request_decline,
        name="organisation_request_decline",
    ),
    path("gastgeber/<int:pk>/", meetings.host_answer, name="host_answer"),
    path("tagesordnung/<int:pk>/", meetings.agenda_item_action, name="agenda_item"),
    path("aufgaben/<int:pk>/", meetings.action_item_status, name="action_item_status"),
    path("<slug:slug>/", manage.body_manage, name="body"),
    path("<slug:slug>/bearbeiten/", manage.body_edit, name="body_edit"),
    path("<slug:slug>/mitglieder/", manage.membership_add, name="membership_add"),
    path("<slug:slug>/mitglieder/<int:pk>/ende/", manage.membership_end, name="membership_end"),
    path("<slug:slug>/mitglieder/<int:pk>/raum/", manage.membership_room, name="membership_room"),
    path("<slug:slug>/mitglieder/<int:pk>/delegierte/", manage.delegate_add, name="delegate_add"),
    path("<slug:slug>/anfragen/", manage.join_requests, name="join_requests"),
    path("<slug:slug>/anfragen/<int:pk>/", manage.join_request_decide, name="join_request_decide"),
    path("<slug:slug>/dokumente/", manage.document_upload, name="document_upload"),
    path("<slug:slug>/sitzung/", meetings.meeting_create, name="meeting_create"),
    path("<slug:slug>/reihe/", meetings.series_create, name="series_create"),
]
