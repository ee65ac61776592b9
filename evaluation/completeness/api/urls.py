"""API routes of completeness (under /api/v1/; joined into evaluation/api/urls.py)."""

urlpatterns = []
