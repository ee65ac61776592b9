from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("security-log/", views.security_log, name="security_log"),
    path("security-log/export.xlsx", views.security_log_export, name="security_log_export"),
]
