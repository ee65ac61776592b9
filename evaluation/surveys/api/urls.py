"""API routes of surveys (under /api/v1/; joined into evaluation/api/urls.py)."""

urlpatterns = []
