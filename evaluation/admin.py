"""Admin of the evaluation. Submissions, their files and events change only through evaluation services (every
change an event with who and when), so they are read-only here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    EvaluationItem,
    MaterialEvent,
    MaterialPackage,
    MaterialRequirement,
    MaterialReviewBody,
    MaterialSubmission,
    Responsibility,
    StandardMethod,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StandardMethodInline(admin.TabularInline):
    model = StandardMethod
    extra = 0


@admin.register(EvaluationItem)
class EvaluationItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "short_text", "level", "max_score", "parent", "sort_order")
    list_filter = ("level", "methods__method")
    search_fields = ("code", "text")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = [StandardMethodInline]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text[:60]


@admin.register(Responsibility)
class ResponsibilityAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("standard", "lead_unit", "method", "deadline", "done_at")
    list_select_related = ("standard", "lead_unit")
    list_filter = ("method",)


@admin.register(MaterialReviewBody)
class MaterialReviewBodyAdmin(SimpleHistoryAdmin):
    list_display = ("command_body",)
    filter_horizontal = ("projects",)


@admin.register(MaterialRequirement)
class MaterialRequirementAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("title", "standard", "kind", "due_date")
    list_select_related = ("standard",)
    list_filter = ("kind",)


class MaterialEventInline(admin.TabularInline):
    model = MaterialEvent
    extra = 0
    can_delete = False
    readonly_fields = ("verb", "actor", "note", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MaterialSubmission)
class MaterialSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("requirement", "unit", "version", "status", "is_current", "is_late", "submitted_at")
    list_select_related = ("requirement", "unit")
    list_filter = ("status", "is_current", "is_late")
    inlines = [MaterialEventInline]


@admin.register(MaterialPackage)
class MaterialPackageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "status", "files_done", "files_total", "created_by")
