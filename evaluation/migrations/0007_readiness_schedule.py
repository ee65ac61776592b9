from django.db import migrations

from core.beat import schedule_task, unschedule_task

TASK_NAME = "readiness snapshot"


def create_schedule(apps, schema_editor):
    """Beat keeps the week's predicted score every Monday at 06:30, Asia/Shanghai
    (the week's rows are replaced: safe to rerun)."""
    schedule_task(
        apps,
        name=TASK_NAME,
        task="evaluation.readiness_snapshot",
        minute="30",
        hour="6",
        day_of_week="1",
        description="Readiness: keep this week's predicted evaluation score (city and each street; safe to rerun).",
    )


def remove_schedule(apps, schema_editor):
    unschedule_task(apps, name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("evaluation", "0006_survey_tally_schedule"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
