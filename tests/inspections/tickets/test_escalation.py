"""Reminder card the working day before the deadline; white, yellow, red supervision orders when overdue."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.models import Notification
from inspections.models import SupervisionOrder, Ticket
from inspections.tasks import escalate_tickets
from inspections.tickets import services

pytestmark = pytest.mark.django_db

# Monday 17 November 2025: deadlines are set relative to it.
MONDAY = date(2025, 11, 17)


def _with_deadline(advance, deadline, status="rectifying"):
    ticket = advance(status)
    Ticket.objects.filter(pk=ticket.pk).update(deadline=deadline)
    ticket.refresh_from_db()
    return ticket


def test_levels_follow_the_thresholds():
    level = services.escalation_level_for
    assert level(deadline=MONDAY + timedelta(days=5), today=MONDAY) == Ticket.Escalation.NONE
    assert level(deadline=MONDAY + timedelta(days=1), today=MONDAY) == Ticket.Escalation.REMINDED
    assert level(deadline=MONDAY, today=MONDAY) == Ticket.Escalation.REMINDED
    # Friday before a Monday deadline: one working day before.
    assert level(deadline=MONDAY, today=MONDAY - timedelta(days=3)) == Ticket.Escalation.REMINDED
    assert level(deadline=MONDAY - timedelta(days=1), today=MONDAY) == Ticket.Escalation.WHITE
    assert level(deadline=MONDAY - timedelta(days=3), today=MONDAY) == Ticket.Escalation.YELLOW
    assert level(deadline=MONDAY - timedelta(days=7), today=MONDAY) == Ticket.Escalation.RED


def test_escalation_issues_one_order_per_level_and_is_idempotent(city, advance, django_capture_on_commit_callbacks):
    due = _with_deadline(advance, MONDAY + timedelta(days=1))
    white = _with_deadline(advance, MONDAY - timedelta(days=2), status="dispatched")
    red = _with_deadline(advance, MONDAY - timedelta(days=10))
    calm = _with_deadline(advance, MONDAY + timedelta(days=10))
    submitted = _with_deadline(advance, MONDAY - timedelta(days=10), status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.ticket_escalate_all(today=MONDAY)
    assert counts == {"reminded": 1, "white": 1, "yellow": 0, "red": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ticket_escalate_all(today=MONDAY) == {"reminded": 0, "white": 0, "yellow": 0, "red": 0}
    for ticket, level in ((due, 1), (white, 2), (red, 4), (calm, 0), (submitted, 0)):
        ticket.refresh_from_db()
        assert ticket.escalation == level
    assert SupervisionOrder.objects.count() == 3
    reminder = SupervisionOrder.objects.get(ticket=due)
    assert reminder.level == 1 and reminder.number == "TX-2025-00001" and reminder.days_overdue == 0
    assert SupervisionOrder.objects.get(ticket=red).days_overdue == 10
    assert {o.number for o in SupervisionOrder.objects.filter(level__gte=2)} == {"DB-2025-00001", "DB-2025-00002"}
    assert Notification.objects.filter(recipient=city.unit, verb="ticket_due_soon").count() == 1
    assert Notification.objects.filter(recipient=city.unit, verb="ticket_overdue").count() == 2
    event = red.events.get(action="escalate")
    assert event.actor is None and event.data["level"] == 4 and event.data["days_overdue"] == 10

    # Days pass: the white one turns yellow (a new order), the red one stays.
    assert services.ticket_escalate_all(today=MONDAY + timedelta(days=2)) == {
        "reminded": 0,
        "white": 1,
        "yellow": 1,
        "red": 0,
    }  # `due` becomes overdue by one day → white
    white.refresh_from_db()
    assert white.escalation == Ticket.Escalation.YELLOW
    assert list(white.supervision_orders.order_by("level").values_list("level", flat=True)) == [2, 3]
    assert red.supervision_orders.count() == 1


def test_closed_tickets_are_left_alone(city, advance):
    ticket = advance("closed")
    Ticket.objects.filter(pk=ticket.pk).update(deadline=MONDAY - timedelta(days=30))
    assert services.ticket_escalate_all(today=MONDAY) == {"reminded": 0, "white": 0, "yellow": 0, "red": 0}


def test_the_task_calls_the_service(city, advance):
    _with_deadline(advance, timezone.localdate() - timedelta(days=8))
    result = escalate_tickets.delay().get(timeout=30)
    assert result["red"] == 1


def test_beat_schedule_exists():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="escalate tickets")
    assert task.task == "inspections.escalate_tickets" and task.enabled
    assert task.crontab.minute == "5" and task.crontab.hour == "*" and str(task.crontab.timezone) == "Asia/Shanghai"


@pytest.mark.celery_worker
def test_escalation_through_a_real_worker(celery_worker_process, city, advance):
    """The beat's task, run by a real worker on committed data: it issues the order once."""
    ticket = _with_deadline(advance, timezone.localdate() - timedelta(days=4))
    assert escalate_tickets.delay().get(timeout=60) == {"reminded": 0, "white": 0, "yellow": 1, "red": 0}
    assert escalate_tickets.delay().get(timeout=60) == {"reminded": 0, "white": 0, "yellow": 0, "red": 0}
    ticket.refresh_from_db()
    assert ticket.escalation == Ticket.Escalation.YELLOW and ticket.supervision_orders.count() == 1
    assert Notification.objects.filter(recipient=city.unit, verb="ticket_overdue").count() == 1
