"""API routes of materials (under /api/v1/; joined into evaluation/api/urls.py)."""

urlpatterns = []
