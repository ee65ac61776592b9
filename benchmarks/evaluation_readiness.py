"""Benchmark: the predicted evaluation score (readiness, issue 12).

Creates its own PostgreSQL database (dropped at the end), migrates it and loads a city of 10 streets × 10 communities,
150 units, 500 standards (10 projects × 5 contents × 10 standards; methods: field inspection 60%, material 40%,
questionnaire 30%, online/briefing 10% each, several per standard), 20 site types checking 25 standards each, 2,000
sites, 50,000 checklist results (10,000 visits of 5 results in 2,500 patrols, 10% of them mock evaluations) within
the window, 100,000 tickets (a fifth of them open, most naming a standard), 1,000 material pairs with their current
versions, a closed survey round with 100 questions over the questionnaire standards and 20,000 tally rows, and the
responsibility list. The big tables go in with COPY; tickets with bulk_create as benchmarks/tickets.py does.

Then times (p50/p95 over N runs):
- the whole readiness computed from the evidence (every standard, the city and each street, grouped by standard and
  by street, the points at risk with owners), as the page and `readiness/` compute it: target ≤ 2 s;
- the weekly snapshot (compute + write 5,500 rows);
- `GET /api/v1/readiness/?week=…&group_by=project` reading a kept snapshot through the API: target ≤ 100 ms.

    .venv/bin/python benchmarks/evaluation_readiness.py [--runs 10] [--keep] [--reuse]
Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/) with a database named cwt_bench_readiness.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cwt_bench_readiness"
TARGET_COMPUTE_MS = 2000
TARGET_READ_MS = 100
PROJECTS, CONTENTS, STANDARDS = 10, 5, 10
STREETS, COMMUNITIES, UNITS, SITE_TYPES, SITES = 10, 10, 150, 20, 2000
VISITS, RESULTS_PER_VISIT, PATROLS, TICKETS = 10_000, 5, 2_500, 100_000


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


def setup_django():
    parsed = server_url()
    auth = parsed.username or "postgres"
    if parsed.password:
        auth += f":{parsed.password}"
    os.environ["DATABASE_URL"] = f"postgres://{auth}@{parsed.hostname or '127.0.0.1'}:{parsed.port or 5432}/{DB_NAME}"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def copy_rows(table, columns, rows):
    """COPY rows (tuples) into a table: the fast way to load tens of thousands of rows."""
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        quoted = ", ".join(f'"{c}"' for c in columns)
        cursor.cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)


def next_ids(table, count):
    """Reserve `count` ids of a table's sequence (COPY rows carry their ids, so children can point at them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [count])
        return [row[0] for row in cursor.fetchall()]


def load(rng: random.Random):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from campaign.models import Region, Unit
    from campaign.services import region_create
    from core.roles import Role
    from core.scope import Scope
    from evaluation.models import (
        EvaluationItem,
        MaterialRequirement,
        MaterialSubmission,
        Question,
        Questionnaire,
        Responsibility,
        StandardMethod,
        SurveyRound,
        SurveyTally,
    )
    from inspections.models import Category, ChecklistResult, Patrol, PatrolVisit, Site, SiteType, Ticket

    loader = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="benchmark")
    User = get_user_model()
    office = User.objects.create_user("office", password="bench-pass-2024", role=Role.OFFICE)
    now, today = timezone.now(), timezone.localdate()
    district = region_create(actor=loader, name="平城区", code="D", level=Region.Level.DISTRICT)
    streets = [
        region_create(actor=loader, name=f"第{i + 1}街道", code=f"S{i}", level=Region.Level.STREET, parent=district)
        for i in range(STREETS)
    ]
    communities = [
        region_create(
            actor=loader, name=f"{s.name}{j + 1}社区", code=f"{s.code}C{j}", level=Region.Level.COMMUNITY, parent=s
        )
        for s in streets
        for j in range(COMMUNITIES)
    ]
    units = Unit.objects.bulk_create(
        [
            Unit(name=f"责任单位{i:03d}", code=f"U{i:03d}", kind="department", region=rng.choice(streets + [district]))
            for i in range(UNITS)
        ]
    )
    projects = EvaluationItem.objects.bulk_create(
        [EvaluationItem(level="project", code=f"P{p:02d}", text=f"测评项目{p}", sort_order=p) for p in range(PROJECTS)]
    )
    contents = EvaluationItem.objects.bulk_create(
        [
            EvaluationItem(level="content", code=f"P{p:02d}C{c}", text=f"测评内容{p}-{c}", parent=project, sort_order=c)
            for p, project in enumerate(projects)
            for c in range(CONTENTS)
        ]
    )
    standards = EvaluationItem.objects.bulk_create(
        [
            EvaluationItem(
                level="standard",
                code=f"{content.code}S{s}",
                text=f"测评标准{content.code}-{s}",
                parent=content,
                max_score=rng.choice((0.2, 0.3, 0.5, 1)),
                sort_order=s,
            )
            for content in contents
            for s in range(STANDARDS)
        ]
    )
    methods, field, material, questionnaire = [], [], [], []
    for standard in standards:
        chosen = {m for m, share in (("field", 0.6), ("material", 0.4), ("questionnaire", 0.3)) if rng.random() < share}
        chosen |= {m for m in ("online", "briefing") if rng.random() < 0.1}
        chosen = chosen or {"field"}
        methods += [StandardMethod(standard=standard, method=m) for m in chosen]
        field += [standard] if "field" in chosen else []
        material += [standard] if "material" in chosen else []
        questionnaire += [standard] if "questionnaire" in chosen else []
    StandardMethod.objects.bulk_create(methods)
    duties = Responsibility.objects.bulk_create(
        [
            Responsibility(standard=s, lead_unit=rng.choice(units), task=f"任务{s.code}", method="field")
            for s in standards
        ]
    )
    copy_rows(
        Responsibility.units.through._meta.db_table,
        ["responsibility_id", "unit_id"],
        ((d.pk, u.pk) for d in duties for u in rng.sample(units, 3)),
    )

    types = SiteType.objects.bulk_create([SiteType(name=f"点位类型{i}", code=f"t{i}") for i in range(SITE_TYPES)])
    checks = {t.pk: rng.sample(field, min(25, len(field))) for t in types}
    copy_rows(
        SiteType.standards.through._meta.db_table,
        ["sitetype_id", "evaluationitem_id"],
        ((tid, s.pk) for tid, items in checks.items() for s in items),
    )
    sites = Site.objects.bulk_create(
        [
            Site(
                name=f"点位{i:04d}",
                code=f"P{i:04d}",
                site_type=rng.choice(types),
                region=rng.choice(communities),
                unit=rng.choice(units),
            )
            for i in range(SITES)
        ]
    )
    category = Category.objects.create(name="问题", code="c0", group="cleanup")

    patrol_ids = next_ids(Patrol._meta.db_table, PATROLS)
    kinds = {pid: ("mock_evaluation" if rng.random() < 0.1 else "department") for pid in patrol_ids}
    copy_rows(
        Patrol._meta.db_table,
        ["id", "kind", "title", "leader_id", "status", "started_at", "note"],
        (
            (pid, kinds[pid], "", office.pk, "finished", (now - timedelta(days=rng.uniform(0, 50))).isoformat(), "")
            for pid in patrol_ids
        ),
    )
    visit_ids = next_ids(PatrolVisit._meta.db_table, VISITS)
    visits = {vid: (rng.choice(patrol_ids), rng.choice(sites)) for vid in visit_ids}
    copy_rows(
        PatrolVisit._meta.db_table,
        ["id", "patrol_id", "site_id", "visitor_id", "checked_in_at", "too_far", "note"],
        (
            (vid, pid, site.pk, office.pk, (now - timedelta(days=rng.uniform(0, 55))).isoformat(), "f", "")
            for vid, (pid, site) in visits.items()
        ),
    )

    def results():
        by_id = {s.pk: s for s in standards}
        for vid, (pid, site) in visits.items():
            for standard in rng.sample(checks[site.site_type_id], RESULTS_PER_VISIT):
                result = rng.choices(("pass", "fail", "na"), (80, 17, 3))[0]
                score = None
                if kinds[pid] == "mock_evaluation" and result != "na":
                    top = float(by_id[standard.pk].max_score)
                    score = round(top * rng.uniform(0.5, 1.0), 2) if result == "pass" else 0
                yield (vid, standard.pk, result, score, "")

    copy_rows(ChecklistResult._meta.db_table, ["visit_id", "standard_id", "result", "score", "note"], results())

    statuses = [("closed", 75), ("rectifying", 8), ("dispatched", 5), ("submitted", 4), ("reported", 4), ("invalid", 4)]
    rows = []
    for n in range(TICKETS):
        site = rng.choice(sites)
        status = rng.choices([s for s, _w in statuses], [w for _s, w in statuses])[0]
        rows.append(
            Ticket(
                number=f"B-{n:07d}",
                site=site,
                category=category,
                description=f"问题{n}",
                severity="medium",
                source="patrol",
                status=status,
                region_id=site.region_id,
                unit_id=site.unit_id,
                standard=rng.choice(checks[site.site_type_id]) if rng.random() < 0.8 else None,
                created_at=now - timedelta(days=rng.uniform(0, 365)),
            )
        )
    Ticket.objects.bulk_create(rows, batch_size=5000)

    requirements = MaterialRequirement.objects.bulk_create(
        [
            MaterialRequirement(
                standard=s,
                kind="policy",
                title=f"材料要求{s.code}",
                window_start=today - timedelta(days=365),
                window_end=today - timedelta(days=30),
                due_date=today + timedelta(days=rng.randint(-40, 40)),
            )
            for s in material
        ]
    )
    pairs = [(r.pk, u.pk) for r in requirements for u in rng.sample(units, 5)]
    copy_rows(MaterialRequirement.units.through._meta.db_table, ["materialrequirement_id", "unit_id"], pairs)
    copy_rows(
        MaterialSubmission._meta.db_table,
        [
            "requirement_id",
            "unit_id",
            "version",
            "is_current",
            "status",
            "note",
            "is_late",
            "return_reason",
            "created_by_id",
            "created_at",
            "escalation_level",
        ],
        (
            (
                r,
                u,
                1,
                "t",
                rng.choices(("accepted", "submitted", "returned", "draft"), (70, 12, 10, 8))[0],
                "",
                "f",
                "",
                office.pk,
                now.isoformat(),
                0,
            )
            for r, u in pairs
            if rng.random() > 0.08
        ),
    )

    questionnaire_row = Questionnaire.objects.create(code="A", title="居民问卷", group="residents")
    survey_round = SurveyRound.objects.create(
        name="模拟调查",
        start_date=today - timedelta(days=40),
        end_date=today - timedelta(days=10),
        status="closed",
        created_by=office,
    )
    survey_round.questionnaires.add(questionnaire_row)
    questions = Question.objects.bulk_create(
        [
            Question(
                questionnaire=questionnaire_row,
                number=i + 1,
                text=f"题目{i + 1}",
                kind="yes_no",
                rate=rng.choice(("awareness", "support", "satisfaction", "participation")),
                positive_answer=True,
            )
            for i in range(100)
        ]
    )
    copy_rows(
        Question.standards.through._meta.db_table,
        ["question_id", "evaluationitem_id"],
        ((q.pk, s.pk) for q in questions for s in rng.sample(questionnaire, min(2, len(questionnaire)))),
    )

    def tallies():
        for community in communities:
            for q in questions:
                for source in ("interview", "self_fill"):
                    answered = rng.randint(5, 20)
                    yield (
                        survey_round.pk,
                        community.pk,
                        "residents",
                        source,
                        q.pk,
                        answered,
                        rng.randint(answered // 2, answered),
                    )

    copy_rows(
        SurveyTally._meta.db_table,
        ["round_id", "region_id", "group", "source", "question_id", "answered", "positive"],
        tallies(),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return office


def measure(fn, runs):
    timings = []
    fn()  # warm
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
    return statistics.median(timings), p95


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by an earlier --keep run")
    args = parser.parse_args()
    if not args.reuse:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection, reset_queries

        t_migrate = t_load = 0.0
        if args.reuse:
            from django.contrib.auth import get_user_model

            office = get_user_model().objects.get(username="office")
        else:
            t0 = time.perf_counter()
            call_command("migrate", verbosity=0)
            t_migrate = time.perf_counter() - t0
            t0 = time.perf_counter()
            office = load(random.Random(12))
            t_load = time.perf_counter() - t0
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse
        from django.utils import timezone

        from evaluation.models import EvaluationItem, ReadinessSnapshot, SurveyTally
        from evaluation.readiness import selectors, services
        from inspections.models import ChecklistResult, Ticket

        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        print(
            f"migrated in {t_migrate:.1f} s; loaded {EvaluationItem.objects.filter(level='standard').count():,} "
            f"standards, {Ticket.objects.count():,} tickets, {ChecklistResult.objects.count():,} checklist results, "
            f"{SurveyTally.objects.count():,} tally rows in {t_load:.1f} s",
            flush=True,
        )

        def compute():
            data = selectors.readiness(office)
            selectors.grouped(data, "standard")
            selectors.grouped(data, "project")
            selectors.grouped(data, "region")
            selectors.at_risk(data, limit=20)

        settings.DEBUG = True
        results = []
        reset_queries()
        p50, p95 = measure(compute, args.runs)
        queries = len(connection.queries) // (args.runs + 1)
        results.append(("readiness computed (all groups)", p50, p95, queries, TARGET_COMPUTE_MS))
        week = selectors.monday(timezone.localdate())
        reset_queries()
        p50, p95 = measure(lambda: services.readiness_snapshot(week=week), max(3, args.runs // 3))
        queries = len(connection.queries) // (max(3, args.runs // 3) + 1)
        results.append(("weekly snapshot (compute + write)", p50, p95, queries, None))
        kept = ReadinessSnapshot.objects.filter(week=week).count()
        # The timed snapshots replaced the week's rows again and again: vacuum the dead ones as autovacuum would
        # after a real week's single run, so the reads below measure the kept rows and not the benchmark's churn.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE evaluation_readinesssnapshot")
        settings.DEBUG = False
        client = Client()
        client.force_login(office)
        for group_by in ("project", "region", "standard"):
            url = f"{reverse('api_readiness')}?week={week.isoformat()}&group_by={group_by}"
            assert client.get(url).status_code == 200
            p50, p95 = measure(lambda u=url: client.get(u), args.runs * 3)
            results.append((f"API kept week, group_by={group_by}", p50, p95, None, TARGET_READ_MS))
        url = f"{reverse('api_readiness')}?group_by=project"
        p50, p95 = measure(lambda: client.get(url), args.runs)
        results.append(("API computed now, group_by=project", p50, p95, None, TARGET_COMPUTE_MS))

        print(f"\nkept {kept:,} snapshot rows for the week of {week}\n")
        print("| case | p50 ms | p95 ms | queries | target p95 |")
        print("|---|---:|---:|---:|---|")
        for label, p50, p95, queries, target in results:
            verdict = "" if target is None else (f"≤ {target} ms " + ("ok" if p95 <= target else "MISSED"))
            print(f"| {label} | {p50:.0f} | {p95:.0f} | {queries if queries is not None else '–'} | {verdict} |")
    finally:
        if not (args.keep or args.reuse):
            from django.db import connections

            connections.close_all()
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
