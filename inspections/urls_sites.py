"""Pages of sites, the evaluation system, site types, categories, patrols and leaders' visits."""

from django.urls import path

from .views import patrols, sites

urlpatterns = [
    path("sites/", sites.site_list, name="site_list"),
    path("sites/new/", sites.site_create, name="site_create"),
    path("sites/map/", sites.site_map, name="site_map"),
    path("sites/import/", sites.site_import, name="site_import"),
    path("sites/export/", sites.site_export, name="site_export"),
    path("sites/<int:pk>/", sites.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", sites.site_edit, name="site_edit"),
    path("sites/<int:pk>/qr.svg", sites.site_qr, name="site_qr"),
    path("site-types/", sites.site_type_list, name="site_type_list"),
    path("site-types/new/", sites.site_type_create, name="site_type_create"),
    path("site-types/<int:pk>/edit/", sites.site_type_edit, name="site_type_edit"),
    path("categories/", sites.category_list, name="category_list"),
    path("categories/new/", sites.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", sites.category_edit, name="category_edit"),
    path("reference/load/", sites.reference_load, name="reference_load"),
    path("evaluation/", sites.evaluation_tree, name="evaluation_tree"),
    path("evaluation/import/", sites.evaluation_import, name="evaluation_import"),
    path("evaluation/sample.xlsx", sites.evaluation_sample, name="evaluation_sample"),
    path("evaluation/load-sample/", sites.evaluation_load_sample, name="evaluation_load_sample"),
    path("leader-visits/", sites.visit_frequency, name="visit_frequency"),
    path("patrols/", patrols.patrol_list, name="patrol_list"),
    path("patrols/start/", patrols.patrol_start, name="patrol_start"),
    path("patrols/<int:pk>/", patrols.patrol_detail, name="patrol_detail"),
    path("patrols/<int:pk>/check-in/", patrols.patrol_check_in, name="patrol_check_in"),
    path("patrols/<int:pk>/finish/", patrols.patrol_finish, name="patrol_finish"),
    path("patrols/<int:pk>/sheet.pdf", patrols.patrol_sheet, name="patrol_sheet"),
    path("visits/<int:pk>/", patrols.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/results/", patrols.visit_results, name="visit_results"),
    path("visits/<int:pk>/problem/", patrols.visit_problem, name="visit_problem"),
    path("visits/<int:pk>/fix/", patrols.visit_fix, name="visit_fix"),
]
