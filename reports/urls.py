from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/export/", views.bulletin_export, name="bulletin_export"),
    path("bulletins/generate/", views.bulletin_generate, name="bulletin_generate"),
    path("bulletins/schedule/", views.schedule, name="schedule"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
    path("bulletins/<int:pk>/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/retry/", views.bulletin_retry, name="bulletin_retry"),
    path("bulletins/<int:pk>/regenerate/", views.bulletin_regenerate, name="bulletin_regenerate"),
]
