from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import LoginLock, Notification, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "first_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Campaign"), {"fields": ("role", "unit", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Campaign"), {"fields": ("role", "unit")}),)
    autocomplete_fields = ("unit",)


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    list_display = ("username", "failures", "last_failure_at", "locked_until")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "verb", "title", "created_at", "read_at")
    list_select_related = ("recipient",)
