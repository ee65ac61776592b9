"""The app's models live in its two halves, inspections/sites/models.py and inspections/tickets/models.py; Django
finds an app's models through this module, so it imports them all (same app label, same migrations)."""

from inspections.sites.models import (  # noqa: F401
    Category,
    ChecklistResult,
    Patrol,
    PatrolVisit,
    Site,
    SiteType,
)
from inspections.tickets.models import (  # noqa: F401
    ExtensionRequest,
    SerialCounter,
    SupervisionOrder,
    Ticket,
    TicketEvent,
    TicketPhoto,
)
