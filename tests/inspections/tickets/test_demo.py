"""The demo tickets: consistent histories, every open state for the `unit` account, idempotent."""

import io
import random

import pytest
from django.db.models import Count, Max

from inspections.models import ExtensionRequest, SupervisionOrder, Ticket, TicketEvent
from inspections.tickets import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(monkeypatch):
    from campaign import demo as campaign_demo

    rng = random.Random(7)
    campaign_demo.seed(rng=rng, stdout=io.StringIO())
    monkeypatch.setattr(demo, "TICKETS", 1500)
    return rng


def test_demo_tickets_are_consistent_and_idempotent(demo_city):
    out = io.StringIO()
    demo.seed(rng=demo_city, stdout=out)
    total = Ticket.objects.count()
    assert total >= 1500, out.getvalue()
    statuses = dict(Ticket.objects.values_list("status").annotate(n=Count("id")))
    assert statuses["closed"] > total * 0.6
    for status in ("reported", "dispatched", "rectifying", "submitted", "invalid"):
        assert statuses.get(status, 0) > 0, statuses
    # Every ticket's last event leads to its status; events are in time order from the report.
    last_status = {}
    previous = {}
    for ticket_id, action, from_status, to_status, at in TicketEvent.objects.order_by(
        "ticket_id", "created_at", "id"
    ).values_list("ticket_id", "action", "from_status", "to_status", "created_at"):
        if ticket_id not in previous:
            assert action == "report" and from_status == ""
        else:
            assert from_status == last_status[ticket_id], (ticket_id, action)
            assert at >= previous[ticket_id]
        previous[ticket_id], last_status[ticket_id] = at, to_status
    assert dict(Ticket.objects.values_list("id", "status")) == last_status
    # Overdue open tickets carry supervision orders; recurrences point at an earlier closed ticket.
    assert SupervisionOrder.objects.filter(level__gte=2).exists()
    assert (
        Ticket.objects.filter(escalation__gte=2).count()
        == SupervisionOrder.objects.filter(level__gte=2).values("ticket").distinct().count()
    )
    recurrence = Ticket.objects.filter(is_recurrence=True).select_related("recurrence_of").first()
    assert recurrence and recurrence.recurrence_of.closed_at <= recurrence.created_at
    assert Ticket.objects.filter(rework_count__gt=0).exists() and Ticket.objects.filter(extension_count__gt=0).exists()
    assert ExtensionRequest.objects.filter(status="pending").exists()
    closed = Ticket.objects.filter(status="closed")
    assert (
        not closed.filter(closed_at__isnull=True).exists() and not closed.filter(closed_on_time__isnull=True).exists()
    )
    # The unit account sees open tickets in every state.
    from core.models import User
    from inspections.tickets.selectors import tickets_visible_to

    mine = dict(tickets_visible_to(User.objects.get(username="unit")).values_list("status").annotate(n=Count("id")))
    for status in ("reported", "dispatched", "rectifying", "submitted"):
        assert mine.get(status, 0) > 0, mine
    # Numbers are unique and the counter continues after them.
    from inspections.models import SerialCounter

    highest = Ticket.objects.aggregate(m=Max("number"))["m"]
    counter = SerialCounter.objects.get(kind="ticket", year=int(highest[:4]))
    assert counter.last == int(highest[5:])

    # The history already holds what the hourly escalation job would have issued: running it now adds little
    # (only what fell due since its last simulated run).
    from inspections.tickets.services import ticket_escalate_all

    open_count = Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES).count()
    assert sum(ticket_escalate_all().values()) <= max(5, open_count // 20)

    demo.seed(rng=demo_city, stdout=io.StringIO())
    assert Ticket.objects.count() == total
