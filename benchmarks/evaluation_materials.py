"""Benchmark: material completeness and the package (issue 11).

Creates its own PostgreSQL database (dropped at the end), migrates it, loads 10 projects × 5 contents × 10 standards
(500 standards, each checked by material with one requirement), 150 units, each requirement submitted by every unit
in 5 versions (75,000 requirement × unit pairs, 375,000 submission rows; the current version in a mix of states,
some pairs with nothing at all), with COPY. Then times the completeness figures (totals + grouped, as the API
answers them) by unit, by standard and by project as the office sees them (p50/p95 over N runs), and builds a
package of 2,000 small accepted files in a fresh process, measuring its time and peak memory (ru_maxrss and
tracemalloc). Targets: figures p95 ≤ 200 ms; package ≤ 60 s and ≤ 200 MB.

    .venv/bin/python benchmarks/evaluation_materials.py [--runs 20] [--files 2000] [--keep]
Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/) with a database named cwt_bench_materials.
"""

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cwt_bench_materials"
TARGET_MS = 200
TARGET_SECONDS = 60
TARGET_MB = 200
PROJECTS, CONTENTS, STANDARDS, UNITS, VERSIONS = 10, 5, 10, 150, 5


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


def copy_rows(table, columns, rows):
    """COPY rows (tuples) into a table: the fast way to load hundreds of thousands of rows."""
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def load(rng: random.Random, n_files: int):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from campaign.models import Region, Unit
    from campaign.services import region_create
    from core.roles import Role
    from core.scope import Scope
    from evaluation.models import (
        EvaluationItem,
        MaterialFile,
        MaterialRequirement,
        MaterialSubmission,
        StandardMethod,
    )

    loader = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="benchmark")
    User = get_user_model()
    office = User.objects.create_user("office", password="bench-pass-2024", role=Role.OFFICE)
    today = timezone.localdate()
    district = region_create(actor=loader, name="平城区", code="D", level=Region.Level.DISTRICT)
    units = Unit.objects.bulk_create(
        [Unit(name=f"责任单位{i:03d}", code=f"U{i:03d}", kind="department", region=district) for i in range(UNITS)]
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
                max_score=rng.choice((1, 2, 3, 4, 5)),
                sort_order=s,
            )
            for content in contents
            for s in range(STANDARDS)
        ]
    )
    StandardMethod.objects.bulk_create([StandardMethod(standard=s, method="material") for s in standards])
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
            for s in standards
        ]
    )
    through = MaterialRequirement.units.through
    copy_rows(
        through._meta.db_table,
        ["materialrequirement_id", "unit_id"],
        ((r.pk, u.pk) for r in requirements for u in units),
    )
    # Versions: 1..4 returned, the 5th current in a mix of states; 8% of pairs have nothing at all.
    now = timezone.now().isoformat()
    columns = [
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
        "submitted_at",
        "reviewed_by_id",
        "reviewed_at",
        "escalation_level",
    ]

    def rows():
        for r in requirements:
            for u in units:
                if rng.random() < 0.08:
                    continue
                final = rng.choices(("accepted", "submitted", "returned", "draft"), (70, 12, 10, 8))[0]
                for v in range(1, VERSIONS + 1):
                    current = v == VERSIONS
                    status = final if current else "returned"
                    late = "t" if current and status in ("accepted", "submitted") and rng.random() < 0.1 else "f"
                    reviewed = status in ("accepted", "returned")
                    yield (
                        r.pk,
                        u.pk,
                        v,
                        "t" if current else "f",
                        status,
                        "",
                        late,
                        "缺少盖章" if status == "returned" else "",
                        office.pk,
                        now,
                        now if status != "draft" else None,
                        office.pk if reviewed else None,
                        now if reviewed else None,
                        0,
                    )

    copy_rows(MaterialSubmission._meta.db_table, columns, rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Files: n_files small files on accepted current versions (one per submission, spread over the standards).
    accepted = list(
        MaterialSubmission.objects.filter(is_current=True, status="accepted")
        .order_by("?")
        .values_list("pk", flat=True)[:n_files]
    )
    from django.core.files.storage import default_storage

    files = []
    for i, submission_id in enumerate(accepted):
        kind = "pdf" if i % 3 else "jpg"
        content = (b"%PDF-1.4\n" if kind == "pdf" else b"\xff\xd8\xff\xe0") + os.urandom(rng.randint(2_000, 30_000))
        name = default_storage.save(f"materials/bench/{i:05d}.{kind}", io.BytesIO(content))
        files.append(
            MaterialFile(
                submission_id=submission_id,
                file=name,
                name=f"材料{i % 7}.{kind}",
                kind=kind,
                size=len(content),
                uploaded_by=office,
            )
        )
    MaterialFile.objects.bulk_create(files)
    return office


def measure(fn, runs):
    timings = []
    fn()  # warm
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95


def package_child():
    """In a fresh process: build one package, print time and peak memory as JSON."""
    import tracemalloc

    setup_django(os.environ["BENCH_MEDIA_ROOT"])
    from django.contrib.auth import get_user_model

    from evaluation.completeness import package
    from evaluation.models import MaterialPackage

    office = get_user_model().objects.get(username="office")
    # The row as package_request makes it (without enqueueing: the build below is what is measured).
    row = MaterialPackage.objects.create(created_by=office)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    row = package.package_build(package_id=row.pk)
    seconds = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    print(
        json.dumps(
            {
                "status": row.status,
                "error": row.error,
                "files": row.files_done,
                "size": row.size,
                "seconds": seconds,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "baseline_mb": baseline,
                "tracemalloc_mb": peak / 1024 / 1024,
            }
        )
    )


def main():
    if os.environ.get("BENCH_PACKAGE_CHILD"):
        return package_child()
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    media = tempfile.mkdtemp(prefix="cwt-bench-materials-")
    try:
        setup_django(media)
        from django.core.management import call_command
        from django.db import connection, reset_queries

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        t_migrate = time.perf_counter() - t0
        t0 = time.perf_counter()
        office = load(random.Random(11), args.files)
        t_load = time.perf_counter() - t0
        from evaluation.completeness import selectors
        from evaluation.models import MaterialSubmission

        pairs = selectors.RequirementUnit.objects.count()
        submissions = MaterialSubmission.objects.count()
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        print(
            f"migrated in {t_migrate:.1f} s; loaded {pairs:,} pairs, {submissions:,} submission rows and "
            f"{args.files:,} files in {t_load:.1f} s",
            flush=True,
        )
        from django.conf import settings

        settings.DEBUG = True
        results = []
        for group_by in ("unit", "standard", "project"):
            reset_queries()
            p50, p95 = measure(lambda g=group_by: selectors.completeness(user=office, group_by=g), args.runs)
            queries = len(connection.queries) // (args.runs + 1)
            results.append((f"completeness by {group_by}", f"{p50:.1f}", f"{p95:.1f}", str(queries), p95 <= TARGET_MS))
        settings.DEBUG = False

        env = {**os.environ, "BENCH_PACKAGE_CHILD": "1", "BENCH_MEDIA_ROOT": media}
        out = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, check=True).stdout
        built = json.loads(out.strip().splitlines()[-1])

        print()
        print(f"{'case':32} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8}  target p95 ≤ {TARGET_MS} ms")
        for label, p50, p95, queries, ok in results:
            print(f"{label:32} {p50:>9} {p95:>9} {queries:>8}  {'ok' if ok else 'MISSED'}")
        print()
        size_mb = built["size"] / 1024 / 1024
        # The build's own memory: what the process grew by while building (Django's setup is not the package's).
        grown = built["maxrss_mb"] - built["baseline_mb"]
        ok = built["seconds"] <= TARGET_SECONDS and grown <= TARGET_MB and built["tracemalloc_mb"] <= TARGET_MB
        print(f"package of {built['files']:,} files ({size_mb:.1f} MB zip, status {built['status']} {built['error']})")
        print(f"  time {built['seconds']:.1f} s (target ≤ {TARGET_SECONDS} s)")
        print(
            f"  peak RSS {built['maxrss_mb']:.0f} MB (after setup {built['baseline_mb']:.0f} MB, +{grown:.0f} MB), "
            f"tracemalloc peak {built['tracemalloc_mb']:.1f} MB (target ≤ {TARGET_MB} MB): {'ok' if ok else 'MISSED'}"
        )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            import shutil

            shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
