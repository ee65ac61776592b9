"""Page routes of completeness (joined into evaluation/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("completeness/", views.completeness, name="completeness"),
    path("completeness/export/", views.completeness_export, name="completeness_export"),
    path("packages/", views.package_list, name="package_list"),
    path("packages/new/", views.package_create, name="package_create"),
    path("packages/<int:pk>/", views.package_detail, name="package_detail"),
]
