"""Beat (DatabaseScheduler) runs the escalation job hourly at minute 5, Asia/Shanghai."""
from django.db import migrations

from core.beat import schedule_task, unschedule_task

TASK_NAME = "escalate tickets"


def create_schedule(apps, schema_editor):
    """Beat (DatabaseScheduler) runs the escalation job hourly at minute 5, Asia/Shanghai."""
    schedule_task(
        apps,
        name=TASK_NAME,
        task="inspections.escalate_tickets",
        minute="5",
        hour="*",
        description="Reminder cards and supervision orders for tickets near or past their deadline.",
    )


def remove_schedule(apps, schema_editor):
    unschedule_task(apps, name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_ticket_engine"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
