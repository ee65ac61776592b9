"""Page routes of completeness (joined into evaluation/urls.py)."""

urlpatterns = []
