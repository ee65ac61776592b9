"""Page routes of surveys (joined into evaluation/urls.py)."""

urlpatterns = []
