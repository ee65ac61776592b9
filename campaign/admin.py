from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Campaign, CommandBody, Membership, Person, Region, Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "region", "civilized_level", "civilized_year")
    list_filter = ("kind", "civilized_level")
    search_fields = ("name", "code")
    list_select_related = ("region",)


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "level", "parent")
    search_fields = ("name", "code")
    list_select_related = ("parent",)


admin.site.register(Campaign, SimpleHistoryAdmin)
admin.site.register(Person, SimpleHistoryAdmin)
admin.site.register(CommandBody, SimpleHistoryAdmin)
admin.site.register(Membership, SimpleHistoryAdmin)
admin.site.register(Assignment, SimpleHistoryAdmin)
