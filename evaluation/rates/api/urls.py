"""API routes of rates (under /api/v1/; joined into evaluation/api/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("survey-rates/", views.SurveyRatesView.as_view(), name="survey-rates"),
]
