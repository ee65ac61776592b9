"""Thin Celery tasks: ids in, one service call, safe to run twice (generation only starts from "queued")."""

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(services.TransientGenerationError,),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=services.MAX_ATTEMPTS,
)
def generate_bulletin(bulletin_id):
    bulletin = services.bulletin_generate(bulletin_id=bulletin_id)
    return None if bulletin is None else bulletin.status


@shared_task
def scheduled_bulletin(kind):
    """Run by beat (django_celery_beat rows made by migration reports.0002): daily, weekly, monthly."""
    return services.bulletin_request_scheduled(kind=kind).pk


@shared_task
def sweep_stuck_bulletins():
    """Every five minutes: bulletins left "generating" by a worker that died are re-queued or failed."""
    return services.bulletins_sweep_stuck()
