"""Benchmark: a weekly bulletin (figures + PDF) over 100,000 tickets.

Creates its own PostgreSQL database (dropped at the end), migrates it, loads a city of 10 streets, 200 units,
2,000 sites, 100,000 tickets over 26 weeks (with supervision orders, recurrences, patrol visits, leaders'
assignments and before/after photos), then times the weekly bulletin of the last full week:
the figures alone, the PDF alone, and the whole `bulletin_generate` service as the worker runs it. Peak memory
is the process's maximum resident set (ru_maxrss) and Python's own peak allocation (tracemalloc) during one
generation. Targets: ≤ 15 s and ≤ 500 MB.

    .venv/bin/python benchmarks/bulletin.py [--tickets 100000] [--keep]
Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/) with a database named cwt_bench_bulletin.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cwt_bench_bulletin"
TARGET_SECONDS = 15
TARGET_MB = 500


def server_url():
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    return parsed


def admin_sql(statement):
    import psycopg2

    parsed = server_url()
    connection = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def setup_django(media_root):
    parsed = server_url()
    auth = parsed.username or "postgres"
    if parsed.password:
        auth += f":{parsed.password}"
    os.environ["DATABASE_URL"] = f"postgres://{auth}@{parsed.hostname or '127.0.0.1'}:{parsed.port or 5432}/{DB_NAME}"
    os.environ["MEDIA_ROOT"] = str(media_root)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def load(n_tickets: int, rng: random.Random):
    """The city, written with bulk inserts."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from campaign.models import Assignment, Campaign, Person, Region, Unit
    from campaign.services import region_create as create_region
    from core.roles import Role
    from core.scope import Scope
    from inspections.models import (
        Category,
        Patrol,
        PatrolVisit,
        Site,
        SiteType,
        SupervisionOrder,
        Ticket,
        TicketPhoto,
    )

    # A data load, not a person: an office scope creates the regions (their history names nobody).
    loader = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="benchmark")

    def region_create(**fields):
        return create_region(actor=loader, **fields)

    User = get_user_model()
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    district = region_create(name="平城区", code="D", level=Region.Level.DISTRICT)
    streets = [
        region_create(name=f"第{i + 1}街道", code=f"S{i}", level=Region.Level.STREET, parent=district)
        for i in range(10)
    ]
    communities = [
        region_create(name=f"{s.name}{j + 1}社区", code=f"{s.code}C{j}", level=Region.Level.COMMUNITY, parent=s)
        for s in streets
        for j in range(6)
    ]
    campaign = Campaign.objects.create(name="基准测试", start_date=today - timedelta(days=400))
    units = Unit.objects.bulk_create(
        [
            Unit(name=f"责任单位{i:03d}", code=f"U{i:03d}", kind="department", region=rng.choice(communities))
            for i in range(200)
        ]
    )
    types = SiteType.objects.bulk_create([SiteType(name=f"点位类型{i}", code=f"T{i}") for i in range(10)])
    categories = Category.objects.bulk_create(
        [Category(name=f"问题类别{i:02d}", code=f"C{i:02d}", group="cleanup") for i in range(20)]
    )
    sites = Site.objects.bulk_create(
        [
            Site(
                name=f"点位{i:04d}",
                code=f"P{i:04d}",
                site_type=rng.choice(types),
                region=rng.choice(communities),
                unit=rng.choice(units),
                is_key=i % 20 == 0,
                lat=40 + rng.random() / 10,
                lng=113 + rng.random() / 10,
            )
            for i in range(2000)
        ]
    )
    start_day = today - timedelta(days=7 * 26)
    tickets = []
    for i in range(n_tickets):
        site = rng.choice(sites)
        created = datetime.combine(
            start_day + timedelta(days=rng.randrange(26 * 7)), datetime.min.time(), tz
        ) + timedelta(minutes=rng.randrange(8 * 60, 20 * 60))
        deadline = created.date() + timedelta(days=rng.choice((3, 5, 7)))
        roll = rng.random()
        status = (
            "closed"
            if roll < 0.82
            else ("invalid" if roll < 0.85 else rng.choice(("reported", "dispatched", "rectifying", "submitted")))
        )
        closed_at = created + timedelta(hours=rng.randrange(4, 24 * 10)) if status == "closed" else None
        tickets.append(
            Ticket(
                number=f"B{i:07d}",
                site=site,
                category=rng.choice(categories),
                description="基准测试问题",
                severity=rng.choice(("low", "medium", "high")),
                source="patrol",
                status=status,
                region_id=site.region_id,
                unit_id=site.unit_id,
                deadline=deadline,
                created_at=created,
                closed_at=closed_at,
                closed_on_time=(closed_at.date() <= deadline) if closed_at else None,
                rework_count=1 if rng.random() < 0.05 else 0,
                extension_count=1 if rng.random() < 0.03 else 0,
                escalation=rng.choice((0, 2, 3, 4)) if status not in ("closed", "invalid") else 0,
                is_recurrence=rng.random() < 0.02,
            )
        )
        if len(tickets) == 5000:
            Ticket.objects.bulk_create(tickets)
            tickets = []
    Ticket.objects.bulk_create(tickets)
    overdue = list(
        Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES, escalation__gte=2).values_list(
            "pk", "escalation", "created_at"
        )[:3000]
    )
    SupervisionOrder.objects.bulk_create(
        [
            SupervisionOrder(
                ticket_id=pk,
                level=level,
                number=f"DB{pk}",
                days_overdue=rng.randrange(1, 20),
                issued_at=created + timedelta(days=rng.randrange(3, 10)),
            )
            for pk, level, created in overdue
        ]
    )
    leaders = []
    for i in range(60):
        user = User.objects.create(username=f"leader{i}", role=Role.LEADER)
        person = Person.objects.create(name=f"领导{i:02d}", user=user, rank="division")
        Assignment.objects.create(
            campaign=campaign,
            person=person,
            region=rng.choice(streets),
            required_visits_per_week=2,
            start_date=start_day,
        )
        leaders.append(user)
    patrols = Patrol.objects.bulk_create(
        [
            Patrol(
                kind="leader_split",
                leader=rng.choice(leaders),
                started_at=datetime.combine(start_day + timedelta(days=rng.randrange(26 * 7)), datetime.min.time(), tz),
            )
            for _i in range(5000)
        ]
    )
    PatrolVisit.objects.bulk_create(
        [
            PatrolVisit(
                patrol=p,
                site=rng.choice(sites),
                visitor_id=p.leader_id,
                checked_in_at=p.started_at + timedelta(hours=9),
            )
            for p in patrols
            for _j in range(4)
        ]
    )
    # before/after photos for a few tickets closed last week (the "typical problems")
    last_week = today - timedelta(days=today.weekday() + 7)
    lo = datetime.combine(last_week, datetime.min.time(), tz)
    for ticket in Ticket.objects.filter(status="closed", closed_at__gte=lo, closed_at__lt=lo + timedelta(days=7))[:6]:
        for kind, colour in (("before", (190, 40, 40)), ("after", (40, 150, 70))):
            from io import BytesIO

            buffer = BytesIO()
            Image.new("RGB", (1600, 1200), colour).save(buffer, format="JPEG", quality=85)
            photo = TicketPhoto(ticket=ticket, kind=kind)
            photo.image.save(f"{ticket.number}-{kind}.jpg", ContentFile(buffer.getvalue()), save=False)
            photo.save()
    office = User.objects.create(username="office", role=Role.OFFICE)
    return office, last_week


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    media = Path(tempfile.mkdtemp(prefix="cwt-bench-media-"))
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        setup_django(media)
        from django.core.management import call_command
        from django.db import connection

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        t_migrate = time.perf_counter() - t0
        t0 = time.perf_counter()
        office, week = load(args.tickets, random.Random(2026))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        t_load = time.perf_counter() - t0
        print(f"migrated in {t_migrate:.1f} s; loaded {args.tickets:,} tickets in {t_load:.1f} s", flush=True)

        from reports import figures, services
        from reports.models import Bulletin

        end = week + timedelta(days=6)
        rss_before = rss_mb()
        t0 = time.perf_counter()
        data = figures.compute(kind="weekly", start=week, end=end)
        t_figures = time.perf_counter() - t0
        bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week, enqueue=False)
        t0 = time.perf_counter()
        pdf = services.render_bulletin_pdf(bulletin=bulletin, figures=data)
        t_pdf = time.perf_counter() - t0

        # the whole service, as the worker runs it (a new revision, so it really runs)
        Bulletin.objects.filter(pk=bulletin.pk).update(status="ready")
        revision = services.bulletin_request(
            actor=office, kind="weekly", period_start=week, regenerate=True, enqueue=False
        )
        t0 = time.perf_counter()
        result = services.bulletin_generate(bulletin_id=revision.pk)
        t_generate = time.perf_counter() - t0
        assert result.status == "ready", result.failure_reason
        rss_peak = rss_mb()

        tracemalloc.start()
        third = services.bulletin_request(
            actor=office, kind="weekly", period_start=week, regenerate=True, enqueue=False
        )
        Bulletin.objects.filter(pk=result.pk).update(status="ready")
        services.bulletin_generate(bulletin_id=third.pk)
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        import subprocess

        pages = subprocess.run(["pdfinfo", result.pdf.path], capture_output=True, text=True).stdout
        pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
        rows = [
            ("tickets in the database", f"{args.tickets:,}", ""),
            ("tickets in the week", f"{data['headline']['found']:,}", ""),
            ("figures (ticket_stats + lists)", f"{t_figures:.2f} s", ""),
            ("PDF rendering (WeasyPrint)", f"{t_pdf:.2f} s", f"{len(pdf) / 1024:.0f} KB"),
            (
                "bulletin_generate (figures + PDF + save)",
                f"{t_generate:.2f} s",
                "OK" if t_generate <= TARGET_SECONDS else f"OVER {TARGET_SECONDS} s",
            ),
            ("PDF pages", pages, ""),
            (
                "peak RSS of the process",
                f"{rss_peak:.0f} MB",
                "OK" if rss_peak <= TARGET_MB else f"OVER {TARGET_MB} MB",
            ),
            ("RSS growth during generation", f"{rss_peak - rss_before:.0f} MB", ""),
            ("Python peak allocation (tracemalloc)", f"{traced_peak / 1024 / 1024:.0f} MB", ""),
        ]
        width = max(len(r[0]) for r in rows)
        print(f"\n{'measure'.ljust(width)} | {'value':>12} | note")
        print(f"{'-' * width}-+-{'-' * 12}-+-----")
        for name, value, note in rows:
            print(f"{name.ljust(width)} | {value:>12} | {note}")
        from django.db import connections

        connections.close_all()
    finally:
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        import shutil

        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
