from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import TemporaryPasswordCreationForm, TemporaryPasswordSetForm
from .models import ApiToken, LoginLock, Notification, SecurityEvent, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "first_name", "role", "unit", "is_active", "must_change_password")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Campaign"), {"fields": ("role", "unit", "phone")}),
        (_("Security"), {"fields": ("must_change_password",)}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Campaign"), {"fields": ("role", "unit")}),)
    autocomplete_fields = ("unit",)
    # A password the office gives someone is temporary: it must be changed at the next sign-in.
    add_form = TemporaryPasswordCreationForm
    change_password_form = TemporaryPasswordSetForm


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    list_display = ("username", "failures", "last_failure_at", "locked_until")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows are written by the app only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at", "revoked_because")
    list_filter = ("revoked_because",)
    list_select_related = ("user",)
    exclude = ("digest",)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "username", "ip_address", "detail")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address")

    def has_delete_permission(self, request, obj=None):
        return False  # removed only by the nightly retention purge


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "verb", "title", "created_at", "read_at")
    list_select_related = ("recipient",)
