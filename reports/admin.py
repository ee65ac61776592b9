from django.contrib import admin

from .models import Bulletin, BulletinEvent


class BulletinEventInline(admin.TabularInline):
    model = BulletinEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Read-mostly: bulletins are made and published through the app (services), never edited by hand."""

    list_display = ["__str__", "kind", "year", "number", "revision", "period_start", "status", "published_at"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Bulletin._meta.fields]
    inlines = [BulletinEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
