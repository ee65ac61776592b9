"""Page routes of questionnaires (joined into evaluation/urls.py)."""

urlpatterns = []
