from django.contrib import admin
from django.urls import include, path, re_path

from core.api_docs import RedocView, SchemaView, SwaggerView
from core.media import serve_media

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("campaign.api.urls")),
    path("", include("evaluation.api.urls")),
    path("", include("inspections.api.urls")),
    path("", include("volunteers.api.urls")),
    path("", include("publicity.api.urls")),
    path("", include("reports.api.urls")),
]

urlpatterns = [
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("campaign/", include("campaign.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("inspections/", include("inspections.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("publicity/", include("publicity.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include(api_v1)),
    # Behind sign-in when settings.API_DOCS_REQUIRE_LOGIN (production); the docs work under the CSP.
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", RedocView.as_view(url_name="api_schema"), name="api_redoc"),
    # Uploaded photos, letters and PDFs: each file only for those who may see the object it belongs to (core.media).
    re_path(r"^media/(?P<path>.*)$", serve_media, name="media"),
]

# Translated error pages for people, JSON for the API (core.errors); nothing technical with DEBUG off.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
