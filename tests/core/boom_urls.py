"""The project's URLs plus two views that fail, for the error-page tests (tests/core/test_safe_defaults.py)."""

from django.urls import path

from config.urls import *  # noqa: F401,F403 - the handlers (handler500 …) come along
from config.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("boom: DATABASE_URL=postgres://secret@db/cwt")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *project_urlpatterns]
