"""API routes of responsibilities (under /api/v1/; joined into evaluation/api/urls.py)."""

urlpatterns = []
