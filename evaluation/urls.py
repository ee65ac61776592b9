"""Pages of the evaluation: the system, the responsibility list, material review."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.item_tree, name="item_tree"),
    path("import/", views.item_import, name="item_import"),
    path("sample.xlsx", views.item_sample, name="item_sample"),
    path("load-sample/", views.item_load_sample, name="item_load_sample"),
]
