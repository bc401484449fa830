from django.urls import path

from quartier.offers import backoffice_views as views

app_name = "offers"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("pruefen/", views.review_queue, name="queue"),
    path("neu/", views.offer_create, name="create"),
    path("<uuid:pk>/", views.offer_edit, name="edit"),
    path("<uuid:pk>/einreichen/", views.offer_submit, name="submit"),
    path("<uuid:pk>/bestaetigen/", views.offer_verify, name="verify"),
    path("<uuid:pk>/pruefung/", views.offer_review, name="review"),
    path("<uuid:pk>/veroeffentlichen/", views.offer_publish, name="publish"),
    path("<uuid:pk>/zurueckgeben/", views.offer_return, name="return"),
    path("<uuid:pk>/aenderung/annehmen/", views.revision_approve, name="approve"),
    path("<uuid:pk>/aenderung/ablehnen/", views.revision_reject, name="reject"),
    path("<uuid:pk>/versionen/", views.offer_history, name="history"),
]
