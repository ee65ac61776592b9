"""API routes of readiness (under /api/v1/; joined into evaluation/api/urls.py)."""

urlpatterns = []
