"""Page routes of materials (joined into evaluation/urls.py, namespace `evaluation:`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("materials/", views.unit_material, name="material_unit"),
    path("materials/requirements/", views.requirement_list, name="material_requirement_list"),
    path("materials/requirements/new/", views.requirement_create, name="material_requirement_create"),
    path("materials/requirements/<int:pk>/", views.requirement_detail, name="material_requirement_detail"),
    path("materials/requirements/<int:pk>/edit/", views.requirement_edit, name="material_requirement_edit"),
    path("materials/requirements/<int:pk>/submit/", views.submission_create, name="material_submission_create"),
    path("materials/submissions/", views.submission_list, name="material_submission_list"),
    path("materials/review/", views.review_queue, name="material_review_queue"),
    path("materials/submissions/<int:pk>/", views.submission_detail, name="material_submission_detail"),
    path("materials/submissions/<int:pk>/files/", views.submission_add_files, name="material_submission_add_files"),
    path(
        "materials/submissions/<int:pk>/files/<int:file_pk>/remove/",
        views.submission_remove_file,
        name="material_submission_remove_file",
    ),
    path("materials/submissions/<int:pk>/submit/", views.submission_submit, name="material_submission_submit"),
    path("materials/submissions/<int:pk>/accept/", views.submission_accept, name="material_submission_accept"),
    path("materials/submissions/<int:pk>/return/", views.submission_return, name="material_submission_return"),
    path(
        "materials/submissions/<int:pk>/new-version/",
        views.submission_resubmit,
        name="material_submission_resubmit",
    ),
]
