from django.urls import path

from quartier.projects import views

app_name = "projects"

urlpatterns = [
    path("projekte/", views.project_list, name="list"),
    path("projekte/<slug:slug>/", views.project_detail, name="detail"),
    path("verfuegungsfonds/", views.fund_list, name="funds"),
    path("verfuegungsfonds/<int:pk>/", views.fund_detail, name="fund"),
    path("verfuegungsfonds/antrag/", views.fund_apply, name="fund_apply"),
    path("verfuegungsfonds/antrag/<str:token>/", views.fund_track, name="fund_track"),
]
