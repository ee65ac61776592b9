"""Background jobs of readiness (the weekly snapshot): thin, one service call, safe to run twice."""

from celery import shared_task

from . import services

__all__ = ["readiness_snapshot_week"]


@shared_task(name="evaluation.readiness_snapshot")
def readiness_snapshot_week():
    return services.readiness_snapshot_current()
