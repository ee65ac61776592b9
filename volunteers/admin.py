from django.contrib import admin

from .models import (
    Activity,
    JointActivity,
    MicroWish,
    Pairing,
    Participation,
    PartyReport,
    Team,
    TeamMembership,
    Volunteer,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "is_brand", "unit", "region", "leader_name")
    list_filter = ("is_brand",)
    search_fields = ("name",)
    raw_id_fields = ("unit", "region")


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("name", "gender", "region", "is_party_member", "registered_on")
    search_fields = ("name", "phone", "id_number")
    raw_id_fields = ("region",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("theme", "kind", "start_at", "team", "region")
    list_filter = ("kind",)
    raw_id_fields = ("team", "site", "region", "created_by")

    def has_delete_permission(self, request, obj=None):
        return False  # deleting would take its participations out of the figures behind the services' back


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Read-only: participants and hours change through the activity pages (volunteers.services), which keep the
    figures' tallies."""

    list_display = ("activity", "volunteer", "hours", "day", "source")
    raw_id_fields = ("activity", "volunteer")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(TeamMembership, raw_id_fields=("team", "volunteer"))
admin.site.register(Pairing, raw_id_fields=("unit", "community"))
admin.site.register(JointActivity)
admin.site.register(PartyReport, raw_id_fields=("member", "community"))
admin.site.register(MicroWish, raw_id_fields=("community", "claimed_by_volunteer", "claimed_by_unit", "posted_by"))
