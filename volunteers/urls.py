from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("people/", views.volunteer_list, name="volunteer_list"),
    path("people/new/", views.volunteer_create, name="volunteer_create"),
    path("people/import/", views.volunteer_import, name="volunteer_import"),
    path("people/import/template.xlsx", views.volunteer_import_template, name="volunteer_import_template"),
    path("people/export.xlsx", views.volunteer_export, name="volunteer_export"),
    path("people/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("people/<int:pk>/edit/", views.volunteer_update, name="volunteer_update"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity_update"),
    path("activities/<int:pk>/qr/", views.activity_qr, name="activity_qr"),
    path("activities/<int:pk>/participants/", views.participation_add, name="participation_add"),
    path("participations/<int:pk>/hours/", views.participation_hours, name="participation_hours"),
    path("participations/<int:pk>/remove/", views.participation_remove, name="participation_remove"),
    path("sign-in/<str:token>/", views.activity_sign_in, name="activity_sign_in"),
    path("figures/", views.figures, name="figures"),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("party-reports/", views.party_report_list, name="party_report_list"),
    path("micro-wishes/", views.microwish_list, name="microwish_list"),
    path("micro-wishes/<int:pk>/", views.microwish_detail, name="microwish_detail"),
]
