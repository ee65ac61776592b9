"""Page routes of rates (joined into evaluation/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("survey-rates/", views.rates, name="survey_rates"),
    path("survey-rates/export/", views.rates_export, name="survey_rates_export"),
]
