"""Two workers handed the same bulletin at the same moment: one generates it, the other does nothing; two
requests for one period at the same moment: one number."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection

from reports import services
from reports.models import Bulletin

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(target, n=2):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def test_two_workers_generate_once(office, week):
    bulletin = services.bulletin_request(actor=office, kind="daily", period_start=week, enqueue=False)
    renders = []

    def fake_render(**kwargs):
        renders.append(1)
        return b"%PDF-1.7 test"

    with mock.patch("reports.services.render_bulletin_pdf", side_effect=fake_render):
        run_together(lambda: services.bulletin_generate(bulletin_id=bulletin.pk))
    bulletin.refresh_from_db()
    assert bulletin.status == "ready" and bulletin.attempts == 1 and len(renders) == 1


def test_two_requests_for_one_period_make_one_number(office, week):
    results = run_together(
        lambda: (
            services.bulletin_request(
                actor=office, kind="weekly", period_start=week + timedelta(days=1), enqueue=False
            ).pk
        ),
        n=4,
    )
    assert len(set(results)) == 1
    assert Bulletin.objects.count() == 1
