"""Benchmark of the ticket reads at city scale: 100,000 tickets over 500 sites, in a PostgreSQL database of its
own (created and dropped by this script).

    .venv/bin/python benchmarks/tickets.py [--tickets 100000] [--runs 40] [--keep] [--reuse]

Prints p50/p95 (ms) and the number of queries at page sizes 20 and 100 for the ticket list API (filtered,
paginated), the ticket list page (when inspections:ticket_list exists), the stats endpoint and the map GeoJSON.
Targets: list API p95 ≤ 150 ms, stats ≤ 300 ms, the same query count at both page sizes."""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DB", "cwt_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def _admin(sql):
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def setup_django():
    os.environ["DATABASE_URL"] = f"{PG}/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def fill(*, tickets: int, rng: random.Random):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from campaign.models import Campaign, CommandBody, Membership, Person, Unit
    from campaign.services import region_create as create_region
    from core.models import User
    from core.roles import Role
    from core.scope import Scope
    from inspections.models import Category, SerialCounter, Site, SiteType, Ticket
    from inspections.tickets.working_days import add_working_days

    # A data load, not a person: an office scope creates the regions (their history names nobody).
    loader = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="benchmark")

    def region_create(**fields):
        return create_region(actor=loader, **fields)

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    city = region_create(name="大同市", code="C", level=1)
    district = region_create(name="平城区", code="D", level=2, parent=city)
    streets = [region_create(name=f"第{i + 1}街道", code=f"S{i}", level=3, parent=district) for i in range(10)]
    communities = [
        region_create(name=f"{s.name}第{j + 1}社区", code=f"{s.code}C{j}", level=4, parent=s)
        for s in streets
        for j in range(6)
    ]
    units = Unit.objects.bulk_create(
        [Unit(name=f"责任单位{i:03d}", code=f"U{i:03d}", kind=Unit.Kind.DEPARTMENT, region=district) for i in range(60)]
    )
    types = SiteType.objects.bulk_create([SiteType(name=f"点位类型{i}", code=f"t{i}") for i in range(10)])
    categories = Category.objects.bulk_create(
        [
            Category(
                name=f"问题类别{i}",
                code=f"c{i}",
                group=rng.choice(Category.Group.values),
                severity=rng.choice(Category.Severity.values),
                deadline_working_days=rng.choice([2, 3, 5, 10]),
            )
            for i in range(20)
        ]
    )
    sites = Site.objects.bulk_create(
        [
            Site(
                name=f"点位{i:03d}",
                code=f"P{i:03d}",
                site_type=rng.choice(types),
                region=rng.choice(communities),
                unit=rng.choice(units),
                lat=40.0 + rng.random() / 10,
                lng=113.2 + rng.random() / 10,
                is_key=i % 12 == 0,
            )
            for i in range(500)
        ]
    )
    office = User(username="office", role=Role.OFFICE)
    supervisor = User(username="supervisor", role=Role.SUPERVISOR)
    for user in (office, supervisor):
        user.set_password("demo-pass-2024")
        user.save()
    campaign = Campaign.objects.create(name="bench", start_date=timezone.localdate() - timedelta(days=400))
    body = CommandBody.objects.create(campaign=campaign, name="督导组", kind=CommandBody.Kind.SUPERVISION_GROUP)
    body.regions.set(streets[:3])
    Membership.objects.create(body=body, person=Person.objects.create(name="督导员", user=supervisor))

    now = timezone.now()
    today = timezone.localdate()
    statuses = [("closed", 80), ("rectifying", 8), ("dispatched", 3), ("submitted", 3), ("reported", 3), ("invalid", 3)]
    rows = []
    for n in range(tickets):
        site = rng.choice(sites)
        category = rng.choice(categories)
        created = now - timedelta(days=rng.uniform(0, 365))
        status = rng.choices([s for s, _w in statuses], [w for _s, w in statuses])[0]
        deadline = (
            None
            if status in ("reported", "invalid")
            else add_working_days(timezone.localtime(created).date(), category.deadline_working_days)
        )
        if status in ("rectifying", "dispatched") and rng.random() < 0.7:
            deadline = today + timedelta(days=rng.randint(0, 5))
        closed_at = created + timedelta(hours=rng.uniform(4, 24 * 8)) if status == "closed" else None
        rows.append(
            Ticket(
                number=f"B-{n:07d}",
                site=site,
                category=category,
                description=f"{site.name}发现问题{n}",
                severity=category.severity,
                source=Ticket.Source.PATROL,
                status=status,
                region_id=site.region_id,
                unit_id=site.unit_id,
                deadline=deadline,
                created_at=created,
                closed_at=closed_at,
                closed_on_time=None if closed_at is None else timezone.localtime(closed_at).date() <= deadline,
                rework_count=1 if rng.random() < 0.07 else 0,
                extension_count=1 if rng.random() < 0.05 else 0,
                is_recurrence=rng.random() < 0.05,
            )
        )
    Ticket.objects.bulk_create(rows, batch_size=5000)
    SerialCounter.objects.create(kind="ticket", year=today.year, last=tickets)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {tickets:,} tickets over {len(sites)} sites in {time.monotonic() - started:.0f} s")
    return {"office": office, "supervisor": supervisor, "street": streets[0], "unit": units[0]}


def measure(client, url, *, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    timings, queries = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries.add(len(captured))
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, "/".join(str(q) for q in sorted(queries))


def run(*, runs, context):
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    rows = []
    for who in ("office", "supervisor"):
        client = Client()
        client.force_login(context[who])
        street = context["street"].pk
        cases = [
            (
                f"tickets API, {who}, status=rectifying&overdue",
                "/api/v1/tickets/?status=rectifying&overdue=true&page_size={n}",
            ),
            (f"tickets API, {who}, region={street} (street)", f"/api/v1/tickets/?region={street}&page_size={{n}}"),
            (f"tickets API, {who}, unfiltered", "/api/v1/tickets/?page_size={n}"),
            (f"tickets API, {who}, q=点位01", "/api/v1/tickets/?q=%E7%82%B9%E4%BD%8D01&page_size={n}"),
        ]
        try:
            page = reverse("inspections:ticket_list")
            cases.append((f"ticket list page, {who}", page + "?status=rectifying&page_size={n}"))
        except NoReverseMatch:
            rows.append((f"ticket list page, {who}", "skipped: inspections:ticket_list does not exist", "", ""))
        for label, template in cases:
            result = {n: measure(client, template.format(n=n), runs=runs) for n in (20, 100)}
            rows.append(
                (
                    label,
                    *[f"{result[n][0]:.1f} / {result[n][1]:.1f}" for n in (20, 100)],
                    f"{result[20][2]} / {result[100][2]}",
                )
            )
        for label, url in (
            (f"stats totals, {who}", "/api/v1/stats/tickets/"),
            (f"stats group_by=unit, {who}", "/api/v1/stats/tickets/?group_by=unit"),
            (f"stats group_by=region, {who}", "/api/v1/stats/tickets/?group_by=region"),
            (
                f"stats group_by=site_type last 30 days, {who}",
                "/api/v1/stats/tickets/?group_by=site_type&start="
                + (datetime.now().date() - timedelta(days=30)).isoformat(),
            ),
            (f"map sites.geojson, {who}", "/api/v1/map/sites.geojson"),
            (f"map tickets.geojson (open), {who}", "/api/v1/map/tickets.geojson"),
            (f"map tickets.geojson bbox, {who}", "/api/v1/map/tickets.geojson?bbox=113.2,40.0,113.25,40.05"),
        ):
            p50, p95, queries = measure(client, url, runs=runs)
            rows.append((label, f"{p50:.1f} / {p95:.1f}", "(no page size)", queries))
    widths = [max(len(str(r[i])) for r in rows + [HEADER]) for i in range(4)]
    for row in [HEADER, tuple("-" * w for w in widths)] + rows:
        print(" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths)))


HEADER = ("case", "page 20: p50 / p95 ms", "page 100: p50 / p95 ms", "queries (20 / 100)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by an earlier --keep run")
    args = parser.parse_args()
    if not args.reuse:
        _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        _admin(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        setup_django()
        if args.reuse:
            from django.core.management import call_command

            from campaign.models import Region, Unit
            from core.models import User

            call_command("migrate", verbosity=0)
            context = {
                "office": User.objects.get(username="office"),
                "supervisor": User.objects.get(username="supervisor"),
                "street": Region.objects.get(code="S0"),
                "unit": Unit.objects.get(code="U000"),
            }
        else:
            context = fill(tickets=args.tickets, rng=random.Random(42))
        print(f"load average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        run(runs=args.runs, context=context)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep and not args.reuse:
            _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    main()
