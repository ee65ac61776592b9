"""Page routes of materials (joined into evaluation/urls.py)."""

urlpatterns = []
