"""Page routes of responsibilities (joined into evaluation/urls.py)."""

urlpatterns = []
