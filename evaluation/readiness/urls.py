"""Page routes of readiness (joined into evaluation/urls.py)."""

urlpatterns = []
