"""Signals other apps listen to. Sent by inspections.tickets.services inside the transaction that made the change."""

from django.dispatch import Signal

# Sent when a ticket is closed (verified). kwargs: ticket. Publicity marks the asset behind a
# look-back-check ticket as good again.
ticket_closed = Signal()
