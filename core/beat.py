"""Beat schedule rows (django-celery-beat's DatabaseScheduler), written by data migrations.

Migrations pass their historical `apps`, so these helpers work at any point of the migration graph."""

from django.utils import timezone

TIME_ZONE = "Asia/Shanghai"


def schedule_task(
    apps, *, name: str, task: str, description: str, minute: str, hour: str = "*", day_of_week: str = "*"
) -> None:
    """Create or update the periodic task `name` running `task` at minute/hour/day of week (cron fields) in Shanghai
    time, and tell a running beat that the schedule changed (what PeriodicTasks.changed() does)."""
    crontab, _created = apps.get_model("django_celery_beat", "CrontabSchedule").objects.get_or_create(
        minute=minute, hour=hour, day_of_week=day_of_week, day_of_month="*", month_of_year="*", timezone=TIME_ZONE
    )
    apps.get_model("django_celery_beat", "PeriodicTask").objects.update_or_create(
        name=name,
        defaults={"task": task, "crontab": crontab, "interval": None, "enabled": True, "description": description},
    )
    apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )


def unschedule_task(apps, *, name: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()
