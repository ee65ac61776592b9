"""Timing of the ticket list, the export and the unit's inbox at city scale. Not part of the suite (the name
does not match test_*.py); run by hand:

    DATABASE_URL=… .venv/bin/python -m pytest tests/inspections/ui/bench_list.py -s
"""

import random
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.models import Ticket

pytestmark = pytest.mark.django_db

N = 20000


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_bench(world):
    rng = random.Random(7)
    now = timezone.now()
    statuses = ["reported", "dispatched", "rectifying", "submitted", "closed", "closed", "closed"]
    rows = []
    for i in range(N):
        site = world.site_a if i % 2 else world.site_b
        rows.append(
            Ticket(
                number=f"2026-9{i:05d}",
                site=site,
                category=world.category,
                description=f"问题描述 {i}",
                severity="medium",
                source="patrol",
                status=rng.choice(statuses),
                region=site.region,
                unit=site.unit,
                deadline=(now - timedelta(days=rng.randint(-10, 30))).date(),
                created_at=now - timedelta(minutes=i * 7),
            )
        )
    # Volume only: bulk_create instead of the services, which would take minutes for 20,000 reports.
    Ticket.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inspections_ticket")
    office, unit = signed_in(world.office), signed_in(world.unit)
    open_of_unit = Ticket.objects.filter(
        unit=world.unit_a, status__in=["dispatched", "rectifying", "submitted"]
    ).count()
    lst, export = reverse("inspections:ticket_list"), reverse("inspections:ticket_export")
    cases = [
        ("list, no filter, 20/page", office, lst, {}),
        ("list, no filter, 100/page", office, lst, {"page_size": 100}),
        (
            "list, status=dispatched+rectifying, 100/page",
            office,
            lst,
            {"status": ["dispatched", "rectifying"], "page_size": 100},
        ),
        (
            "list, region + overdue, page 50",
            office,
            lst,
            {"region": world.district_a.pk, "overdue": "true", "page": 50},
        ),
        ("list, q=描述 1234", office, lst, {"q": "描述 1234"}),
        ("export, all 20,000 rows", office, export, {}),
        ("export, status=closed", office, export, {"status": "closed"}),
        (f"unit inbox ({open_of_unit:,} open tickets of the unit)", unit, reverse("inspections:unit_inbox"), {}),
    ]
    office.get(lst)
    print()
    print(f"| request ({N:,} tickets) | ms (median of 3) |")
    print("|---|---|")
    for name, client, url, params in cases:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        print(f"| {name} | {sorted(times)[1]:.0f} |")
