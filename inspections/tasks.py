"""Thin Celery tasks: each calls one service and is safe to run twice."""

from celery import shared_task

from inspections.tickets.services import ticket_escalate_all


@shared_task(name="inspections.escalate_tickets")
def escalate_tickets() -> dict:
    """Reminder cards and supervision orders that are due (beat runs it hourly at minute 5)."""
    return ticket_escalate_all()
