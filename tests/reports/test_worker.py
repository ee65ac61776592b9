"""End to end through Redis and a real Celery worker: the scheduled weekly job produces the PDF."""

import subprocess
import time

import pytest

from reports.models import Bulletin

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("timed out")


def test_weekly_bulletin_through_a_real_worker(celery_worker_process, scenario, week):
    from reports.tasks import scheduled_bulletin

    # what beat sends on Monday morning: the worker requests the previous week's bulletin, then generates it
    bulletin_id = scheduled_bulletin.delay("weekly").get(timeout=60)
    bulletin = wait_for(lambda: Bulletin.objects.filter(pk=bulletin_id, status__in=["ready", "failed"]).first())
    assert bulletin.status == "ready", bulletin.failure_reason
    assert (bulletin.period_start, bulletin.number, bulletin.attempts) == (week, 1, 1)
    text = subprocess.run(["pdftotext", bulletin.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    assert "创建全国文明城市工作通报" in text and f"{bulletin.year}年第1期" in text and "70.0%" in text
    # the job running twice makes one bulletin
    assert scheduled_bulletin.delay("weekly").get(timeout=60) == bulletin_id
    assert Bulletin.objects.count() == 1
