"""Who may see what in the volunteers app: each model declares its visibility once (core.registry), here.

Imported from VolunteersConfig.ready(). Every signed-in user reads the volunteer ledgers (they are the campaign's
public record of service); personal data (phones, ID numbers) is masked for everyone but the office by
core.masking, which is a separate rule. The region paths give the district-wide reads (bulletins of issue 11).
"""

from django.utils.translation import gettext_lazy as _

from core.registry import EVERYONE, register

from .models import Activity, MicroWish, Pairing, PartyReport, Team, Volunteer

register(
    Team,
    visible=EVERYONE,
    region="region",
    filterset="volunteers.filtersets.TeamFilterSet",
    serializer="volunteers.api.serializers.TeamSerializer",
    surfaces={
        "list": "volunteers:team_list",
        "detail": "volunteers:team_detail",
        "api_list": "volunteer-team-list",
        "api_detail": "volunteer-team-detail",
    },
    not_found=_("Team not found."),
)
register(
    Volunteer,
    visible=EVERYONE,
    region="region",
    filterset="volunteers.filtersets.VolunteerFilterSet",
    serializer="volunteers.api.serializers.VolunteerSerializer",
    surfaces={
        "list": "volunteers:volunteer_list",
        "detail": "volunteers:volunteer_detail",
        "api_list": "volunteer-list",
        "api_detail": "volunteer-detail",
        "export": "volunteers:volunteer_export",
    },
    not_found=_("Volunteer not found."),
)
register(
    Activity,
    visible=EVERYONE,
    region="region",
    filterset="volunteers.filtersets.ActivityFilterSet",
    serializer="volunteers.api.serializers.ActivitySerializer",
    surfaces={
        "list": "volunteers:activity_list",
        "detail": "volunteers:activity_detail",
        "api_list": "activity-list",
        "api_detail": "activity-detail",
        "figures": "volunteer-figures",
    },
    not_found=_("Activity not found."),
)
register(
    Pairing,
    visible=EVERYONE,
    region="community",
    filterset="volunteers.filtersets.PairingFilterSet",
    serializer="volunteers.api.serializers.PairingSerializer",
    surfaces={
        "list": "volunteers:pairing_list",
        "detail": "volunteers:pairing_detail",
        "api_list": "pairing-list",
        "api_detail": "pairing-detail",
    },
    not_found=_("Pairing not found."),
)
register(
    PartyReport,
    visible=EVERYONE,
    region="community",
    filterset="volunteers.filtersets.PartyReportFilterSet",
    surfaces={"list": "volunteers:party_report_list"},
)
register(
    MicroWish,
    visible=EVERYONE,
    region="community",
    filterset="volunteers.filtersets.MicroWishFilterSet",
    serializer="volunteers.api.serializers.MicroWishSerializer",
    surfaces={
        "list": "volunteers:microwish_list",
        "detail": "volunteers:microwish_detail",
        "api_list": "micro-wish-list",
        "api_detail": "micro-wish-detail",
        "media": "fulfilment_photo",
    },
    media=("micro-wishes/", ("fulfilment_photo",)),
    not_found=_("Micro-wish not found."),
)
