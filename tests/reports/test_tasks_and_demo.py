"""The thin tasks (eager mode) and the demo archive."""

import io
import random
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from reports import services, tasks
from reports.models import Bulletin

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_retries():
    conf = tasks.generate_bulletin.app.conf
    old = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = old


def test_generate_task_retries_transient_errors_then_fails_visibly(office, week, eager_retries):
    # eagerly, each retry runs at once inside the first call (a worker would wait retry_backoff seconds);
    # retries are only re-applied when eager tasks do not propagate their exceptions
    bulletin = services.bulletin_request(actor=office, kind="daily", period_start=week, enqueue=False)
    with mock.patch("reports.figures.compute", side_effect=OperationalError("server closed the connection")):
        result = tasks.generate_bulletin.apply(args=[bulletin.pk])
    assert result.get() == "failed"
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert list(bulletin.events.values_list("action", flat=True)) == [
        "requested",
        "started",
        "requeued",
        "started",
        "requeued",
        "started",
        "failed",
    ]


def test_generate_task_is_safe_to_run_twice(scenario, office, week):
    bulletin = services.bulletin_request(actor=office, kind="daily", period_start=week, enqueue=False)
    assert tasks.generate_bulletin.apply(args=[bulletin.pk]).get() == "ready"
    assert tasks.generate_bulletin.apply(args=[bulletin.pk]).get() == "ready"
    assert Bulletin.objects.get(pk=bulletin.pk).attempts == 1


def test_sweeper_task(office, week):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week, enqueue=False)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status="generating",
        attempts=services.MAX_ATTEMPTS,
        started_at=timezone.now() - services.stuck_after() - timedelta(seconds=5),
    )
    assert tasks.sweep_stuck_bulletins.apply().get() == {"requeued": 0, "failed": 1, "resent": 0}
    assert Bulletin.objects.get(pk=bulletin.pk).status == "failed"


def test_demo_archive_is_made_once(scenario, office):
    out = io.StringIO()
    from reports import demo

    demo.seed(rng=random.Random(1), stdout=out)
    made = list(Bulletin.objects.order_by("kind", "period_start").values_list("kind", "status", "published_at"))
    assert [(k, s) for k, s, _p in made] == [("monthly", "ready"), ("weekly", "ready"), ("weekly", "ready")]
    assert all(p is not None for _k, _s, p in made)
    demo.seed(rng=random.Random(1), stdout=out)
    assert Bulletin.objects.count() == 3
