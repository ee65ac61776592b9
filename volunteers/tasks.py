"""Thin Celery tasks: each calls one service and is safe to run twice."""

from celery import shared_task

from . import tally


@shared_task(name="volunteers.rebuild_tallies")
def rebuild_tallies() -> int:
    """Recompute the volunteer figures' period tallies from the participations (beat: nightly at 03:30)."""
    return tally.rebuild()
