from django.contrib import admin

from .models import Activity, JointActivity, MicroWish, Pairing, Participation, PartyReport, Team, TeamMembership, Volunteer


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


admin.site.register(TeamMembership, raw_id_fields=("team", "volunteer"))
admin.site.register(Participation, raw_id_fields=("activity", "volunteer"))
admin.site.register(Pairing, raw_id_fields=("unit", "community"))
admin.site.register(JointActivity)
admin.site.register(PartyReport, raw_id_fields=("member", "community"))
admin.site.register(MicroWish, raw_id_fields=("community", "claimed_by_volunteer", "claimed_by_unit", "posted_by"))
