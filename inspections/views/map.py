"""The map wall: sites coloured by their open and overdue tickets, tickets as markers, filters that reload the
GeoJSON of the API (/api/v1/map/…) for the visible area. The page only carries the settings and the filter
choices; the data comes from the API, which applies tickets_visible_to."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.roles import Role

from ..models import Category, Ticket


@login_required
@require_GET
def map_wall(request):
    if not (request.user.is_office or request.user.role in (Role.SUPERVISOR, Role.LEADER)):
        raise Http404
    from .tickets import _region_options

    config = {
        "tilesUrl": settings.MAP_TILES_URL,
        "tilesAttribution": settings.MAP_TILES_ATTRIBUTION,
        "center": list(settings.MAP_CENTER),
        "zoom": settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", 13),
        "minZoom": settings.LEAFLET_CONFIG.get("MIN_ZOOM", 3),
        "maxZoom": settings.LEAFLET_CONFIG.get("MAX_ZOOM", 19),
        # The paths are fixed by CONTRACT.md; the API applies the same visibility rule as every page.
        "sitesUrl": f"{get_script_prefix()}api/v1/map/sites.geojson",
        "ticketsUrl": f"{get_script_prefix()}api/v1/map/tickets.geojson",
        "ticketUrl": reverse("inspections:ticket_detail", args=[0]).replace("/0/", "/{id}/"),
        "siteTicketsUrl": reverse("inspections:ticket_list") + "?site={id}",
    }
    return render(
        request,
        "inspections/map/wall.html",
        {
            "config": config,
            "statuses": [(value, label) for value, label in Ticket.Status.choices if value != Ticket.Status.INVALID],
            "categories": Category.objects.filter(is_active=True).only("pk", "name").order_by("group", "code"),
            "region_options": _region_options(),
            "tiles_missing": not settings.MAP_TILES_URL,
            "text": {
                "open": _("Open tickets"),
                "overdue": _("Overdue"),
                "deadline": _("Deadline"),
                "unit": _("Responsible unit"),
                "site": _("Site"),
                "tickets": _("Open the tickets"),
                "ticket": _("Open the ticket"),
                "key": _("Key site"),
            },
        },
    )
