"""The demo archive: the last two weekly bulletins and last month's review, generated synchronously (no
worker needed) from the demo city's data and published, so the archive and the dashboards are not empty.
Idempotent: nothing is done when bulletins already exist."""

from datetime import timedelta

from django.utils import timezone


def seed(*, rng, stdout):
    from core.models import User
    from core.roles import Role

    from . import figures, services
    from .models import Bulletin

    if Bulletin.objects.exists():
        stdout.write("  reports: bulletins already exist, nothing to do")
        return
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    if office is None:
        stdout.write("  reports: no office account, no bulletins made")
        return
    today = timezone.localdate()
    this_week = figures.monday_of(today)
    periods = [
        ("weekly", this_week - timedelta(days=14)),
        ("weekly", this_week - timedelta(days=7)),
        ("monthly", figures.previous_month(today)),
    ]
    for kind, start in periods:
        bulletin = services.bulletin_request(actor=office, kind=kind, period_start=start, enqueue=False)
        bulletin = services.bulletin_generate(bulletin_id=bulletin.pk)
        if bulletin.status != Bulletin.Status.READY:
            stdout.write(f"  reports: {kind} {start} failed: {bulletin.failure_reason}")
            continue
        services.bulletin_publish(actor=office, bulletin=bulletin)
        stdout.write(f"  reports: published {bulletin}")
