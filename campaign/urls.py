from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "campaign"
urlpatterns = [
    # The chart has its own path so the navigation does not mark it active on every page of the app.
    path("", RedirectView.as_view(pattern_name="campaign:org_chart"), name="index"),
    path("org/", views.org_chart, name="org_chart"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_update, name="body_update"),
    path("bodies/<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/new/", views.region_create, name="region_create"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("regions/<int:pk>/edit/", views.region_update, name="region_update"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/export.xlsx", views.unit_export, name="unit_export"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_update, name="unit_update"),
    path("people/", views.person_list, name="person_list"),
    path("people/export.xlsx", views.person_export, name="person_export"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/export.xlsx", views.assignment_export, name="assignment_export"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/edit/", views.assignment_update, name="assignment_update"),
]
