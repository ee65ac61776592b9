"""Who may see what in inspections: each model declares its visibility once (core.registry), here.

Imported from InspectionsConfig.ready(). Pages, API, exports, the map, PDFs and media files read through
`core.registry.visible_to(Model, user)`; tests/scope/test_matrix.py checks every surface named here.
"""

from django.utils.translation import gettext_lazy as _

from core.registry import EVERYONE, SCOPED, patrols_rule, register, through
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

# The tickets: office and leader all, a supervisor by region, a unit liaison its own unit's only.
register(
    Ticket,
    visible=SCOPED,
    region="region",
    unit="unit",
    filterset="inspections.tickets.filtersets.TicketFilterSet",
    serializer="inspections.tickets.api.serializers.TicketSerializer",
    surfaces={
        "list": "inspections:ticket_list",
        "detail": "inspections:ticket_detail",
        "api_list": "api_ticket-list",
        "api_detail": "api_ticket-detail",
        "export": "inspections:ticket_export",
        "map": "api_map_tickets",
        "pdf": "inspections:ticket_notice_pdf",
        "media": "photos",
    },
    not_found=_("Ticket not found."),
)
register(TicketEvent, visible=through("ticket", Ticket))
register(TicketPhoto, visible=through("ticket", Ticket), media=("tickets/", ("image", "thumbnail")))
register(ExtensionRequest, visible=through("ticket", Ticket))
register(SupervisionOrder, visible=through("ticket", Ticket))

# Sites: a unit liaison reads its unit's sites and every site in its unit's region (the map agrees).
register(
    Site,
    visible=SCOPED,
    region="region",
    unit="unit",
    unit_reads_region=True,
    filterset="inspections.sites.filtersets.SiteFilterSet",
    serializer="inspections.sites.api.serializers.SiteSerializer",
    surfaces={
        "list": "inspections:site_list",
        "detail": "inspections:site_detail",
        "api_list": "inspections-site-list",
        "api_detail": "inspections-site-detail",
        "export": "inspections:site_export",
        "map": "api_map_sites",
    },
)
# Patrols: led, joined, or visited a visible site; office and leader all.
register(
    Patrol,
    visible=patrols_rule,
    filterset="inspections.sites.filtersets.PatrolFilterSet",
    serializer="inspections.sites.api.serializers.PatrolSerializer",
    surfaces={
        "list": "inspections:patrol_list",
        "detail": "inspections:patrol_detail",
        "api_list": "inspections-patrol-list",
        "api_detail": "inspections-patrol-detail",
        "pdf": "inspections:patrol_sheet",
    },
)
register(PatrolVisit, visible=through("patrol", Patrol))
register(ChecklistResult, visible=through("visit", PatrolVisit))

# The catalogues: every signed-in user (the evaluation system is declared in evaluation/visibility.py).
register(SiteType, visible=EVERYONE)
register(Category, visible=EVERYONE)
