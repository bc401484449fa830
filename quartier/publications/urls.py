from django.urls import path

from quartier.publications import views

app_name = "publications"

urlpatterns = [
    path("neuigkeiten/", views.news, name="news"),
    path("neuigkeiten/feed/", views.feed_all, name="feed"),
    path("neuigkeiten/feed/gebiet/<slug:slug>/", views.feed_area, name="feed_area"),
    path("neuigkeiten/feed/gremium/<slug:slug>/", views.feed_body, name="feed_body"),
    path("neuigkeiten/<slug:slug>/", views.post_detail, name="post"),
    path("newsletter/", views.lists, name="lists"),
    path("newsletter/bounces/", views.bounce_webhook, name="bounces"),
    path("newsletter/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/verwalten/<str:token>/", views.manage, name="manage"),
    path("newsletter/<slug:slug>/", views.subscribe, name="subscribe"),
    path("zeitung/", views.archive, name="archive"),
    path("zeitung/<int:pk>/", views.issue_detail, name="issue"),
    path("zeitung/<int:pk>/druckausgabe.pdf", views.issue_pdf, name="issue_pdf"),
]
