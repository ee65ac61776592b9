from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Asset, AssetCheck, AssetPhoto, Post, PrintedMaterial, ThemeEvent


@admin.register(Asset)
class AssetAdmin(SimpleHistoryAdmin):
    list_display = ("code", "kind", "theme", "region", "unit", "quantity", "condition", "last_checked_at")
    list_filter = ("kind", "condition")
    search_fields = ("code", "theme", "address")
    list_select_related = ("region", "unit")
    raw_id_fields = ("site", "region", "unit", "open_ticket")


@admin.register(AssetCheck)
class AssetCheckAdmin(admin.ModelAdmin):
    list_display = ("asset", "checked_by", "checked_at", "condition", "ticket", "raised_ticket")
    list_select_related = ("asset", "checked_by", "ticket")
    raw_id_fields = ("asset", "checked_by", "ticket")

    def has_delete_permission(self, request, obj=None):
        return False  # the record of checks is kept


admin.site.register(AssetPhoto)
admin.site.register(Post)
admin.site.register(PrintedMaterial)
admin.site.register(ThemeEvent)
