"""Page routes of responsibilities (joined into evaluation/urls.py, namespace `evaluation:`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("responsibilities/", views.responsibility_list, name="responsibility_list"),
    path("responsibilities/new/", views.responsibility_create, name="responsibility_create"),
    path("responsibilities/export.xlsx", views.responsibility_export, name="responsibility_export"),
    path("responsibilities/import/", views.responsibility_import, name="responsibility_import"),
    path("responsibilities/template.xlsx", views.responsibility_sample, name="responsibility_sample"),
    path("responsibilities/mine/", views.responsibility_mine, name="responsibility_mine"),
    path("responsibilities/three-lists/", views.responsibility_three_lists, name="responsibility_three_lists"),
    path(
        "responsibilities/three-lists/<int:unit_id>/",
        views.responsibility_three_lists_unit,
        name="responsibility_three_lists_unit",
    ),
    path("responsibilities/<int:pk>/", views.responsibility_detail, name="responsibility_detail"),
    path("responsibilities/<int:pk>/edit/", views.responsibility_update, name="responsibility_update"),
    path("responsibilities/<int:pk>/delete/", views.responsibility_delete, name="responsibility_delete"),
    path("responsibilities/<int:pk>/done/", views.responsibility_done, name="responsibility_done"),
    path("responsibilities/<int:pk>/reopen/", views.responsibility_reopen, name="responsibility_reopen"),
]
