"""Ticket pages, the unit's inbox, the verification queue, the printable documents and the map wall."""

from django.urls import path

from inspections.tickets import views

urlpatterns = [
    path("tickets/", views.ticket_list, name="ticket_list"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/export.xlsx", views.ticket_export, name="ticket_export"),
    path("tickets/bulk-dispatch/", views.ticket_bulk_dispatch, name="ticket_bulk_dispatch"),
    path("tickets/inbox/", views.unit_inbox, name="unit_inbox"),
    path("tickets/verify/", views.verify_queue, name="verify_queue"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/notice.pdf", views.ticket_notice_pdf, name="ticket_notice_pdf"),
    path("tickets/<int:pk>/orders/<int:order_pk>.pdf", views.supervision_order_pdf, name="supervision_order_pdf"),
    path("tickets/<int:pk>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("map/", views.map_wall, name="map_wall"),
]
