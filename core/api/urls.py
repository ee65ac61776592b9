from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="api_token"),
    path("me/", views.MeView.as_view(), name="api_me"),
]
