"""Fixtures shared by every app's tests. Data is built through services, as the app builds it."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "demo-pass-2024"


def pytest_collection_modifyitems(config, items):
    """Under CI a browser test or a Redis test must run: nothing here skips them silently."""


@pytest.fixture
def make_user(db):
    from core.models import User

    def _make(username, role, *, unit=None, password=DEMO_PASSWORD, **extra):
        user = User(username=username, role=role, unit=unit, **extra)
        user.set_password(password)
        user.save()
        return user

    return _make


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real Celery worker in its own process, on the broker of the settings (Redis under CI), using the
    test database. Tests that use it must commit their data (transactional_db), as the app does."""
    from django.db import connection

    from config.celery_app import app

    if os.environ.get("CI") == "true" and not settings.REDIS_URL:
        pytest.fail("CI requires REDIS_URL for the Celery worker test")
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "celery-worker.log", "ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "info",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    old_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Celery worker exited with {proc.returncode}; see test-artifacts/celery-worker.log")
            try:
                if app.control.ping(timeout=1.0):
                    break
            except Exception:  # noqa: BLE001 - broker not ready yet
                time.sleep(0.5)
        else:
            pytest.fail("Celery worker did not answer within 60 s")
        yield proc
    finally:
        app.conf.task_always_eager = old_eager
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
