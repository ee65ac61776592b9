"""API routes of readiness (under /api/v1/; joined into evaluation/api/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("readiness/", views.ReadinessView.as_view(), name="api_readiness"),
]
