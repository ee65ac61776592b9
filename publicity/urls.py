from django.urls import path

from . import views

app_name = "publicity"
urlpatterns = [
    path("assets/", views.asset_list, name="asset_list"),
    path("assets/new/", views.asset_create, name="asset_create"),
    path("assets/map/", views.asset_map, name="asset_map"),
    path("assets/map.geojson", views.asset_geojson, name="asset_geojson"),
    path("assets/export.xlsx", views.asset_export, name="asset_export"),
    path("assets/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("assets/<int:pk>/edit/", views.asset_update, name="asset_update"),
    path("check/", views.check_start, name="check_start"),
    path("posts/", views.post_list, name="post_list"),
    path("printed/", views.printed_list, name="printed_list"),
    path("events/", views.event_list, name="event_list"),
    path("figures/", views.figures, name="figures"),
]
