"""Benchmark of the volunteer reads at Qujing scale (205,000 volunteers in ~2,000 teams): 200,000 volunteers and
1,000,000 participations in a PostgreSQL database of its own (created and dropped by this script).

    .venv/bin/python benchmarks/volunteers.py [--volunteers 200000] [--participations 1000000] [--runs 40] [--keep]

Fills the tables with COPY and rebuilds the period tallies, then prints p50/p95 (ms) and the query count of the
volunteer figures endpoint (calendar months, quarters and years, read from the tallies; and, apart, two custom periods
that are counted from the participations), the activity list API (with participants and hours; page sizes 20 and
100, unfiltered and
filtered) and the volunteer list API and page. Target: p95 ≤ 300 ms."""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DB", "cwt_bench_volunteers")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
TARGET_P95_MS = 300
PER_ACTIVITY = 50  # participants per activity


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
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _copy(cursor, table, columns, rows):
    """COPY rows (tuples) into table, in chunks so memory stays flat."""
    buffer, count = io.StringIO(), 0

    def flush():
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write(",".join("" if v is None else ('""' if v == "" else str(v)) for v in row))
        buffer.write("\n")
        count += 1
        if count % 200_000 == 0:
            flush()
    flush()
    return count


def fill(*, volunteers: int, participations: int, rng: random.Random):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from campaign.models import Unit
    from campaign.services import region_create as create_region
    from core.models import User
    from core.roles import Role
    from core.scope import Scope
    from volunteers.services import id_number_with_checksum

    # A data load, not a person: an office scope creates the regions (their history names nobody).
    loader = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="benchmark")

    def region_create(**fields):
        return create_region(actor=loader, **fields)

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    city = region_create(name="曲靖市", code="C", level=1)
    districts = [region_create(name=f"第{i + 1}区", code=f"D{i}", level=2, parent=city) for i in range(4)]
    streets = [
        region_create(name=f"{d.name}第{j + 1}街道", code=f"{d.code}S{j}", level=3, parent=d)
        for d in districts
        for j in range(5)
    ]
    communities = [
        region_create(name=f"{s.name}第{k + 1}社区", code=f"{s.code}C{k}", level=4, parent=s)
        for s in streets
        for k in range(5)
    ]
    units = Unit.objects.bulk_create(
        [Unit(name=f"单位{i}", code=f"U{i}", kind=Unit.Kind.DEPARTMENT, region=rng.choice(streets)) for i in range(200)]
    )
    office = User.objects.create(username="office", role=Role.OFFICE)
    liaison = User.objects.create(username="unit", role=Role.UNIT, unit=units[0])
    n_activities = max(1, participations // PER_ACTIVITY)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    with connection.cursor() as cursor:
        _copy(
            cursor,
            "volunteers_team",
            [
                "id",
                "name",
                "is_brand",
                "unit_id",
                "region_id",
                "leader_name",
                "contact_phone",
                "description",
                "created_at",
            ],
            (
                (
                    i + 1,
                    f"志愿服务队{i:04d}",
                    i < 20,
                    rng.choice(units).pk,
                    rng.choice(streets).pk,
                    "队长",
                    "",
                    "",
                    "2024-01-01 00:00:00+08",
                )
                for i in range(2000)
            ),
        )
        phones = rng.sample(range(10**8), volunteers)
        _copy(
            cursor,
            "volunteers_volunteer",
            [
                "id",
                "name",
                "gender",
                "phone",
                "id_number",
                "region_id",
                "is_party_member",
                "registered_on",
                "created_at",
            ],
            (
                (
                    i + 1,
                    f"志愿者{i}",
                    "male" if i % 2 else "female",
                    f"13{i % 10}{phones[i]:08d}",
                    id_number_with_checksum(
                        f"53{i // 100000 + 10:02d}00{date(1960, 1, 1) + timedelta(days=i // 1000):%Y%m%d}{i % 1000:03d}"
                    ),
                    rng.choice(communities).pk,
                    i % 4 == 0,
                    today - timedelta(days=rng.randint(0, 1500)),
                    "2024-01-01 00:00:00+08",
                )
                for i in range(volunteers)
            ),
        )
        _copy(
            cursor,
            "volunteers_teammembership",
            ["team_id", "volunteer_id", "joined_on"],
            ((1 + (v * 7919) % 2000, v + 1, today) for v in range(volunteers)),
        )
        activity_days = [today - timedelta(days=rng.randint(0, 730)) for _ in range(n_activities)]
        activity_regions = [rng.choice(communities).pk for _ in range(n_activities)]
        _copy(
            cursor,
            "volunteers_activity",
            [
                "id",
                "theme",
                "kind",
                "start_at",
                "end_at",
                "address",
                "region_id",
                "team_id",
                "description",
                "sign_in_token",
                "created_at",
            ],
            (
                (
                    a + 1,
                    f"活动{a}",
                    "cleanup",
                    f"{activity_days[a]} 09:00:00+08",
                    f"{activity_days[a]} 11:00:00+08",
                    "文明实践站",
                    activity_regions[a],
                    1 + a % 2000,
                    "",
                    f"tok{a:08d}",
                    "2024-01-01 00:00:00+08",
                )
                for a in range(n_activities)
            ),
        )

        def participation_rows():
            for a in range(n_activities):
                day = activity_days[a]
                for v in rng.sample(range(1, volunteers + 1), PER_ACTIVITY):
                    yield a + 1, v, "2.0", day, 1 + a % 2000, activity_regions[a], "qr", f"{day} 09:05:00+08"

        made = _copy(
            cursor,
            "volunteers_participation",
            ["activity_id", "volunteer_id", "hours", "day", "team_id", "region_id", "source", "signed_in_at"],
            participation_rows(),
        )
        for table in (
            "volunteers_team",
            "volunteers_volunteer",
            "volunteers_activity",
            "volunteers_participation",
            "volunteers_teammembership",
        ):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    filled = time.monotonic() - started
    from volunteers.tally import rebuild

    rebuilt = time.monotonic()
    cells = rebuild()  # COPY bypasses the services that keep the tallies, as the demo data's bulk_create does
    connection.close()
    print(
        f"filled {volunteers:,} volunteers, {n_activities:,} activities, {made:,} participations in {filled:.0f} s; "
        f"rebuilt {cells:,} period tallies in {time.monotonic() - rebuilt:.1f} s"
    )
    return {"office": office, "unit": liaison, "street": streets[0], "team": 1, "today": today, "tz": tz}


def vacuum():
    """Index-only scans need a fresh visibility map (autovacuum would do this in production)."""
    import psycopg2

    connection = psycopg2.connect(f"{PG}/{BENCH_DB}")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


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
    from django.utils import translation

    from core.periods import presets

    today = context["today"]
    # The figures page's presets: this month … last year (calendar periods, read from the tallies).
    with translation.override("en"):
        calendar = [(str(label).lower(), start, end) for label, start, end in presets(today)]
    rows, worst, counted = [], 0.0, []
    for who in ("office", "unit"):
        client = Client()
        client.force_login(context[who])
        figures = "/api/v1/volunteer-figures/?start={}&end={}"
        for label, start, end in calendar:
            url = figures.format(start, end)
            label = f"volunteer figures, {label}, {who}"
            p50, p95, queries = measure(client, url, runs=runs)
            worst = max(worst, p95)
            rows.append((label, f"{p50:.1f} / {p95:.1f}", "(no page size)", queries))
        # Periods that are not a calendar month, quarter or year are counted from the participations.
        for label, url in (
            (
                f"volunteer figures, 30 days to today (counted), {who}",
                figures.format(today - timedelta(days=29), today),
            ),
            (
                f"volunteer figures, 365 days to today (counted), {who}",
                figures.format(today - timedelta(days=364), today),
            ),
        ):
            p50, p95, queries = measure(client, url, runs=max(5, runs // 4))
            counted.append((label, f"{p50:.1f} / {p95:.1f}", "(no page size)", queries))
        street, team = context["street"].pk, context["team"]
        for label, template in (
            (f"activity list API, {who}, unfiltered", "/api/v1/activities/?page_size={n}"),
            (
                f"activity list API, {who}, region={street} (street)",
                f"/api/v1/activities/?region={street}&page_size={{n}}",
            ),
            (f"activity list API, {who}, team={team}", f"/api/v1/activities/?team={team}&page_size={{n}}"),
            (f"volunteer list API, {who}, unfiltered", "/api/v1/volunteers/?page_size={n}"),
            (
                f"volunteer list API, {who}, region={street} (street)",
                f"/api/v1/volunteers/?region={street}&page_size={{n}}",
            ),
            (f"volunteer list page, {who}", "/volunteers/people/?page_size={n}"),
            (f"activity list page, {who}", "/volunteers/activities/?page_size={n}"),
        ):
            result = {n: measure(client, template.format(n=n), runs=runs) for n in (20, 100)}
            worst = max(worst, *(result[n][1] for n in (20, 100)))
            rows.append(
                (
                    label,
                    *[f"{result[n][0]:.1f} / {result[n][1]:.1f}" for n in (20, 100)],
                    f"{result[20][2]} / {result[100][2]}",
                )
            )
    widths = [max(len(str(r[i])) for r in rows + counted + [HEADER]) for i in range(4)]
    for row in [HEADER, tuple("-" * w for w in widths)] + rows:
        print(" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths)))
    print(f"worst p95: {worst:.1f} ms (target ≤ {TARGET_P95_MS} ms): {'OK' if worst <= TARGET_P95_MS else 'MISSED'}")
    print()
    print(
        "Custom periods (not one calendar month, quarter or year): counted from the participations, outside the target"
    )
    for row in counted:
        print(" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths)))


HEADER = ("case", "page 20: p50 / p95 ms", "page 100: p50 / p95 ms", "queries (20 / 100)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=200_000)
    parser.add_argument("--participations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
    _admin(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        setup_django()
        context = fill(volunteers=args.volunteers, participations=args.participations, rng=random.Random(42))
        vacuum()
        run(runs=args.runs, context=context)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    main()
