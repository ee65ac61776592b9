"""The bulletin schedule as django_celery_beat rows, so the office can change the times (reports:schedule or the
admin) without a deployment. Times are in Asia/Shanghai."""
from django.db import migrations

SCHEDULES = [
    # name, task, kwargs, crontab (minute, hour, day_of_week, day_of_month)
    ("reports.daily_bulletin", "reports.tasks.scheduled_bulletin", '{"kind": "daily"}', ("0", "18", "*", "*")),
    ("reports.weekly_bulletin", "reports.tasks.scheduled_bulletin", '{"kind": "weekly"}', ("0", "8", "1", "*")),
    ("reports.monthly_bulletin", "reports.tasks.scheduled_bulletin", '{"kind": "monthly"}', ("0", "8", "*", "1")),
    ("reports.sweep_stuck_bulletins", "reports.tasks.sweep_stuck_bulletins", "{}", ("*/5", "*", "*", "*")),
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, kwargs, (minute, hour, day_of_week, day_of_month) in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab = CrontabSchedule.objects.create(
            minute=minute, hour=hour, day_of_week=day_of_week, day_of_month=day_of_month, month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.create(name=name, task=task, kwargs=kwargs, crontab=crontab, enabled=True)


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
