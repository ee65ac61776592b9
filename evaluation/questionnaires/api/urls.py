"""API routes of questionnaires (under /api/v1/; joined into evaluation/api/urls.py)."""

urlpatterns = []
