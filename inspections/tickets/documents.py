"""Printable documents of a ticket: the rectification notice 整改通知单 and the supervision order 督办单.

Both are laid out like Chinese official documents (red masthead and rule, number line, addressee, body,
signature and date lines) and rendered offline through core.pdf.render_pdf. A QR code printed on the paper
opens the ticket in the app, so the unit can go from the paper straight to submitting its after-photos.
"""

import base64
from io import BytesIO

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from inspections.models import SupervisionOrder, Ticket, TicketPhoto

# How many before-photos fit on the one-page notice without pushing the signature lines over.
MAX_PHOTOS = 4

ORDER_COLOURS = {
    Ticket.Escalation.REMINDED: "reminder",
    Ticket.Escalation.WHITE: "white",
    Ticket.Escalation.YELLOW: "yellow",
    Ticket.Escalation.RED: "red",
}


def qr_data_uri(url: str) -> str:
    """A PNG QR code of `url` as a data: URI (no file, no network)."""
    import qrcode

    image = qrcode.make(url, box_size=6, border=2)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def ticket_url(*, request, ticket: Ticket) -> str:
    return request.build_absolute_uri(reverse("inspections:ticket_detail", args=[ticket.pk]))


def _before_photos(ticket: Ticket) -> list[TicketPhoto]:
    return list(ticket.photos.filter(kind=TicketPhoto.Kind.BEFORE).order_by("created_at", "id")[:MAX_PHOTOS])


def _ticket_for_document(pk: int) -> Ticket:
    return Ticket.objects.select_related("site", "site__site_type", "category", "unit", "region").get(pk=pk)


def _common_context(*, request, ticket: Ticket) -> dict:
    return {
        "ticket": ticket,
        "issuing_body": settings.CAMPAIGN_ISSUING_BODY,
        "photos": _before_photos(ticket),
        "qr": qr_data_uri(ticket_url(request=request, ticket=ticket)),
        "ticket_link": ticket_url(request=request, ticket=ticket),
        "today": timezone.localdate(),
    }


def notice_filename(ticket: Ticket) -> str:
    return _("Rectification notice %(number)s.pdf") % {"number": ticket.number}


def order_filename(order: SupervisionOrder) -> str:
    return _("Supervision order %(number)s.pdf") % {"number": order.number}


def build_rectification_notice(*, request, ticket: Ticket) -> bytes:
    """整改通知单: who must fix what, where, by when. Only for a ticket that has a responsible unit."""
    ticket = _ticket_for_document(ticket.pk)
    context = _common_context(request=request, ticket=ticket)
    return render_pdf("inspections/documents/notice.html", context)


def build_supervision_order(*, request, order: SupervisionOrder) -> bytes:
    """督办单 in the colour of its level (white → yellow → red; level 1 is the reminder card 提醒卡)."""
    ticket = _ticket_for_document(order.ticket_id)
    context = _common_context(request=request, ticket=ticket)
    context.update({"order": order, "colour": ORDER_COLOURS.get(order.level, "white")})
    return render_pdf("inspections/documents/supervision_order.html", context)
