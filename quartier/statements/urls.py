from django.urls import path

from quartier.statements import views

app_name = "statements"

urlpatterns = [
    path("stellungnahmen/<int:pk>/", views.detail, name="detail"),
    path("stellungnahmen/<int:pk>/pdf/", views.pdf, name="pdf"),
]
