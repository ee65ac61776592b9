"""Background jobs of material review (reminders, overdue notices, escalation): thin, safe to run twice."""

from celery import shared_task

from evaluation.materials.services import material_remind_all

__all__ = ["material_remind_all_task"]


@shared_task(name="evaluation.material_remind_all")
def material_remind_all_task() -> dict:
    """Reminders before the due date, overdue notices and escalation (beat runs it every morning at 07:40)."""
    return material_remind_all()
