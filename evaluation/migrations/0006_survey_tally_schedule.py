from django.db import migrations

from core.beat import schedule_task, unschedule_task

TASK_NAME = "survey tally rebuild"


def create_schedule(apps, schema_editor):
    """Beat (DatabaseScheduler) rebuilds the survey tallies from the answers every night at 02:50, Asia/Shanghai."""
    schedule_task(
        apps,
        name=TASK_NAME,
        task="evaluation.survey_tally_rebuild",
        minute="50",
        hour="2",
        description="Survey tallies recomputed from the answers (safety net; safe to rerun).",
    )


def remove_schedule(apps, schema_editor):
    unschedule_task(apps, name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("evaluation", "0005_surveys_and_readiness"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
