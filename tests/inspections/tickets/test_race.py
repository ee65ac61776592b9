"""Concurrency on real PostgreSQL: row locks make a transition happen once; numbers never collide."""

import threading

import pytest
from django.db import connection

from core.exceptions import InvalidTransition
from inspections.models import Ticket
from inspections.tickets import services


def _run_in_threads(count, work):
    barrier = threading.Barrier(count)
    results = [None] * count

    def runner(index):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", work(index))
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_verifications_one_wins_one_gets_409(transactional_db, city, advance):
    ticket = advance("submitted")
    verifiers = [city.office, city.supervisor]
    results = _run_in_threads(
        2,
        lambda i: services.ticket_verify(
            actor=verifiers[i], ticket=Ticket.objects.get(pk=ticket.pk), approved=(i == 0), note="核查"
        ),
    )
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, InvalidTransition)
    ticket.refresh_from_db()
    verify_events = ticket.events.filter(action="verify")
    assert verify_events.count() == 1
    closing = verify_events.get()
    # Whichever won, the ticket's state is that one verification's outcome and nothing else.
    if ticket.status == "closed":
        assert closing.to_status == "closed" and ticket.rework_count == 0
    else:
        assert ticket.status == "rectifying" and closing.to_status == "rectifying" and ticket.rework_count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_reports_get_distinct_consecutive_numbers(transactional_db, city):
    results = _run_in_threads(
        6,
        lambda i: services.ticket_report(
            actor=city.supervisor, category=city.category, description=f"问题 {i}", source="patrol", site=city.site_a
        ),
    )
    assert all(kind == "ok" for kind, _value in results), results
    numbers = sorted(value.number for _kind, value in results)
    assert [int(n.split("-")[1]) for n in numbers] == [1, 2, 3, 4, 5, 6]
