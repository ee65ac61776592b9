"""Page routes of surveys (joined into evaluation/urls.py, namespace `evaluation:`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("surveys/", views.survey_home, name="survey_home"),
    path("surveys/rounds/<int:pk>/fill/", views.survey_fill, name="survey_fill"),
    path("surveys/rounds/<int:pk>/progress/", views.survey_quota_progress, name="survey_quota_progress"),
    path("surveys/quality/", views.survey_quality, name="survey_quality"),
    path("surveys/responses/<int:pk>/accept/", views.survey_response_accept, name="survey_response_accept"),
    path("surveys/responses/<int:pk>/reject/", views.survey_response_reject, name="survey_response_reject"),
    path("s/<str:token>/", views.survey_public, name="survey_public"),
    path("s/<str:token>/thanks/", views.survey_public_thanks, name="survey_public_thanks"),
]
