"""Pages of sites, site types, categories, patrols and leaders' visits."""

from django.urls import path
from django.views.generic import RedirectView

from inspections.sites import views

urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/map/", views.site_map, name="site_map"),
    path("sites/import/", views.site_import, name="site_import"),
    path("sites/export/", views.site_export, name="site_export"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/qr.svg", views.site_qr, name="site_qr"),
    path("site-types/", views.site_type_list, name="site_type_list"),
    path("site-types/new/", views.site_type_create, name="site_type_create"),
    path("site-types/<int:pk>/edit/", views.site_type_edit, name="site_type_edit"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("reference/load/", views.reference_load, name="reference_load"),
    # The evaluation system moved to the evaluation app (/evaluation/); old bookmarks follow it.
    path("evaluation/", RedirectView.as_view(pattern_name="evaluation:item_tree", permanent=True)),
    path("leader-visits/", views.visit_frequency, name="visit_frequency"),
    path("patrols/", views.patrol_list, name="patrol_list"),
    path("patrols/start/", views.patrol_start, name="patrol_start"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol_detail"),
    path("patrols/<int:pk>/check-in/", views.patrol_check_in, name="patrol_check_in"),
    path("patrols/<int:pk>/finish/", views.patrol_finish, name="patrol_finish"),
    path("patrols/<int:pk>/sheet.pdf", views.patrol_sheet, name="patrol_sheet"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/results/", views.visit_results, name="visit_results"),
    path("visits/<int:pk>/problem/", views.visit_problem, name="visit_problem"),
    path("visits/<int:pk>/fix/", views.visit_fix, name="visit_fix"),
]
