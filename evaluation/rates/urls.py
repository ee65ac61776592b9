"""Page routes of rates (joined into evaluation/urls.py)."""

urlpatterns = []
