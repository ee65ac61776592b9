"""Fixtures shared by every app's tests. Data is built through services, as the app builds it."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "demo-pass-2024"


def pytest_collection_modifyitems(config, items):
    """Under CI a browser test or a Redis test must run: nothing here skips them silently."""


@pytest.fixture
def show(request):
    """`show(text)`: figures a test reports (the API fuzz, the upload attack), printed in a "figures" section at the
    end of the run. They travel with the test's report, so they are printed under pytest-xdist too (scripts/test.sh
    runs the suite with -n), whose workers' own output never reaches the terminal."""

    def _show(text):
        request.node.user_properties.append(("figures", text))

    return _show


def pytest_terminal_summary(terminalreporter):
    figures = [
        text
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, text in getattr(report, "user_properties", ())
        if name == "figures"
    ]
    matrix = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "scope_matrix"
    ]
    if matrix:
        figures.append(
            f"scope matrix: {sum(m[0] for m in matrix)} checks ({sum(m[1] for m in matrix)} failed) over "
            f"{len({m[2] for m in matrix})} registered models x {len({m[3] for m in matrix})} roles x their surfaces"
        )
    if figures:
        terminalreporter.section("figures")
        for text in figures:
            terminalreporter.write_line(text.strip("\n"))


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
        database_url = (
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    log_name = f"celery-worker-{xdist_worker}.log" if xdist_worker else "celery-worker.log"
    log = open(ARTIFACTS / log_name, "ab")
    node_name = f"test-{os.getpid()}@{socket.gethostname()}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "info",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-n",
            node_name,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    old_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Celery worker exited with {proc.returncode}; see test-artifacts/{log_name}")
            try:
                # Our worker only: another test process's worker answering must not count (xdist: -n).
                if app.control.ping(destination=[node_name], timeout=1.0):
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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing browser = failure (never a skip)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs the chromium package)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser_login(browser, live_server):
    """Open a new browser context (desktop or phone-sized) signed in as `username`; returns the page."""
    contexts = []

    def _login(username, *, phone=False, password=DEMO_PASSWORD):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
        context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    yield _login
    for context in contexts:
        context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def clear_rate_limits():
    """Remove this test process's rate-limit counters: only its own keys (make_key adds the KEY_PREFIX each xdist
    worker has, config/settings/test.py), never a pattern over the whole Redis db, which other processes share."""
    from django.core.cache import cache

    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):
        redis = client.get_client(write=True)
        keys = list(redis.scan_iter(match=cache.make_key("ratelimit:*")))
        if keys:
            redis.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache (Redis, shared with the Celery broker, so no FLUSHDB): each test starts
    with none, or the sign-in tests of the whole run would add up against one address."""
    clear_rate_limits()
    yield
