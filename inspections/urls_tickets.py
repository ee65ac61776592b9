"""Ticket pages, the unit's inbox, the verification queue, the printable documents and the map wall."""

from django.urls import path

from .views import map as map_views
from .views import tickets

urlpatterns = [
    path("tickets/", tickets.ticket_list, name="ticket_list"),
    path("tickets/new/", tickets.ticket_create, name="ticket_create"),
    path("tickets/export.xlsx", tickets.ticket_export, name="ticket_export"),
    path("tickets/bulk-dispatch/", tickets.ticket_bulk_dispatch, name="ticket_bulk_dispatch"),
    path("tickets/inbox/", tickets.unit_inbox, name="unit_inbox"),
    path("tickets/verify/", tickets.verify_queue, name="verify_queue"),
    path("tickets/<int:pk>/", tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/notice.pdf", tickets.ticket_notice_pdf, name="ticket_notice_pdf"),
    path("tickets/<int:pk>/orders/<int:order_pk>.pdf", tickets.supervision_order_pdf, name="supervision_order_pdf"),
    path("tickets/<int:pk>/<slug:action>/", tickets.ticket_action, name="ticket_action"),
    path("map/", map_views.map_wall, name="map_wall"),
]
