"""Admin of the inspections app. Tickets and their history are read-only here: a ticket changes only
through inspections.tickets.services, which writes its events."""

from django.contrib import admin

from inspections.models import (
    Category,
    ChecklistResult,
    ExtensionRequest,
    Patrol,
    PatrolVisit,
    Site,
    SiteType,
    SupervisionOrder,
    Ticket,
    TicketEvent,
    TicketPhoto,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SiteType)
class SiteTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")
    filter_horizontal = ("standards", "command_bodies")
    ordering = ("sort_order", "name")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "group", "severity", "deadline_working_days", "is_active")
    list_filter = ("group", "severity", "is_active")
    search_fields = ("name", "code")
    filter_horizontal = ("command_bodies",)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "site_type", "region", "unit", "is_key", "is_active")
    list_filter = ("is_key", "is_active", "site_type")
    search_fields = ("code", "name", "address")
    list_select_related = ("site_type", "region", "unit")
    autocomplete_fields = ("region", "unit")


class PatrolVisitInline(admin.TabularInline):
    model = PatrolVisit
    extra = 0
    fields = ("site", "visitor", "checked_in_at", "distance_m", "too_far", "score")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Patrol)
class PatrolAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "leader", "status", "started_at", "finished_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "leader__username", "leader__first_name")
    list_select_related = ("leader",)
    date_hierarchy = "started_at"
    filter_horizontal = ("members",)
    inlines = [PatrolVisitInline]


class ChecklistResultInline(admin.TabularInline):
    model = ChecklistResult
    extra = 0
    fields = ("standard", "result", "score", "note", "ticket")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PatrolVisit)
class PatrolVisitAdmin(admin.ModelAdmin):
    list_display = ("site", "patrol", "visitor", "checked_in_at", "distance_m", "too_far", "score")
    list_filter = ("too_far", "patrol__kind")
    search_fields = ("site__name", "site__code", "visitor__username")
    list_select_related = ("site", "patrol", "visitor")
    date_hierarchy = "checked_in_at"
    readonly_fields = ("patrol", "site", "visitor", "checked_in_at", "lat", "lng", "distance_m", "too_far", "score")
    inlines = [ChecklistResultInline]


@admin.register(ChecklistResult)
class ChecklistResultAdmin(ReadOnlyAdmin):
    list_display = ("visit", "standard", "result", "score", "ticket")
    list_filter = ("result",)
    search_fields = ("standard__code", "visit__site__name")
    list_select_related = ("visit", "visit__site", "standard", "ticket")


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ("created_at", "action", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("number", "category", "site", "unit", "status", "severity", "deadline", "escalation", "created_at")
    list_filter = ("status", "source", "severity", "escalation", "fixed_on_spot", "is_recurrence", "category__group")
    search_fields = ("number", "description", "site__name")
    list_select_related = ("category", "site", "unit")
    date_hierarchy = "created_at"
    inlines = [TicketEventInline]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "action", "from_status", "to_status", "actor", "created_at")
    list_filter = ("action",)
    search_fields = ("ticket__number", "note")
    list_select_related = ("ticket", "actor")
    date_hierarchy = "created_at"


@admin.register(TicketPhoto)
class TicketPhotoAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "kind", "uploaded_by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("ticket", "uploaded_by")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "requested_by", "old_deadline", "requested_deadline", "status", "decided_by")
    list_filter = ("status",)
    list_select_related = ("ticket", "requested_by", "decided_by")


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "ticket", "level", "days_overdue", "issued_at")
    list_filter = ("level",)
    list_select_related = ("ticket",)
