"""Page routes of readiness (joined into evaluation/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/report.pdf", views.readiness_pdf, name="readiness_pdf"),
    path("readiness/estimates/", views.readiness_input_list, name="readiness_input_list"),
    path("readiness/estimates/<int:pk>/delete/", views.readiness_input_delete, name="readiness_input_delete"),
]
