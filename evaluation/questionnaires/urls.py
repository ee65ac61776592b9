"""Page routes of questionnaires and survey rounds (joined into evaluation/urls.py, namespace `evaluation:`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/export.xlsx", views.questionnaire_export, name="questionnaire_export"),
    path("questionnaires/import/", views.questionnaire_import, name="questionnaire_import"),
    path("questionnaires/template.xlsx", views.questionnaire_sample, name="questionnaire_sample"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/edit/", views.questionnaire_update, name="questionnaire_update"),
    path("questionnaires/<int:pk>/delete/", views.questionnaire_delete, name="questionnaire_delete"),
    path("questionnaires/<int:pk>/preview/", views.questionnaire_preview, name="questionnaire_preview"),
    path("questionnaires/<int:pk>/export.xlsx", views.questionnaire_export_one, name="questionnaire_export_one"),
    path("questionnaires/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("questionnaires/questions/<int:pk>/edit/", views.question_update, name="question_update"),
    path("questionnaires/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("survey-rounds/", views.survey_round_list, name="survey_round_list"),
    path("survey-rounds/new/", views.survey_round_create, name="survey_round_create"),
    path("survey-rounds/quota-template.xlsx", views.survey_quota_sample, name="survey_quota_sample"),
    path("survey-rounds/<int:pk>/", views.survey_round_detail, name="survey_round_detail"),
    path("survey-rounds/<int:pk>/edit/", views.survey_round_update, name="survey_round_update"),
    path("survey-rounds/<int:pk>/open/", views.survey_round_open, name="survey_round_open"),
    path("survey-rounds/<int:pk>/close/", views.survey_round_close, name="survey_round_close"),
    path("survey-rounds/<int:pk>/public-link/on/", views.survey_round_link_on, name="survey_round_link_on"),
    path("survey-rounds/<int:pk>/public-link/off/", views.survey_round_link_off, name="survey_round_link_off"),
    path("survey-rounds/<int:pk>/qr.svg", views.survey_round_qr, name="survey_round_qr"),
    path("survey-rounds/<int:pk>/quotas/", views.survey_quota_save, name="survey_quota_save"),
    path("survey-rounds/<int:pk>/quotas/import/", views.survey_quota_import, name="survey_quota_import"),
    path("survey-rounds/<int:pk>/quotas.xlsx", views.survey_quota_export, name="survey_quota_export"),
    path("survey-rounds/quotas/<int:pk>/delete/", views.survey_quota_delete, name="survey_quota_delete"),
]
