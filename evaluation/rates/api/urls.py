"""API routes of rates (under /api/v1/; joined into evaluation/api/urls.py)."""

urlpatterns = []
