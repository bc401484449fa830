from django.urls import path

from quartier.publications import backoffice

app_name = "publications"

urlpatterns = [
    path("", backoffice.post_list, name="posts"),
    path("neu/", backoffice.post_create, name="post_create"),
    path("<int:pk>/", backoffice.post_edit, name="post_edit"),
    path("newsletter/", backoffice.list_list, name="lists"),
    path("newsletter/neu/", backoffice.list_create, name="list_create"),
    path("newsletter/<int:pk>/", backoffice.list_edit, name="list_edit"),
    path("zeitung/", backoffice.issue_list, name="issues"),
    path("zeitung/neu/", backoffice.issue_create, name="issue_create"),
    path("zeitung/<int:pk>/", backoffice.issue_edit, name="issue_edit"),
    path("zeitung/<int:pk>/artikel/", backoffice.article_add, name="article_add"),
    path("zeitung/<int:pk>/pruefen/", backoffice.issue_submit, name="issue_submit"),
    path("zeitung/<int:pk>/freigeben/", backoffice.issue_approve, name="issue_approve"),
    path("zeitung/<int:pk>/versenden/", backoffice.issue_send, name="issue_send"),
    path("versand/<int:pk>/", backoffice.mailing_detail, name="mailing"),
]
