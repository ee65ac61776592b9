"""`make run` on the embedded default: no Redis, SQLite. The worker and beat must still run jobs,
including scheduled ones (eager mode would not run a schedule)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
def test_worker_and_beat_run_jobs_with_no_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "CELERY_TASK_ALWAYS_EAGER")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "VAR_DIR": str(tmp_path),
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
    )

    def manage(*args, timeout=180):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    manage("migrate", "--noinput", "-v0")
    # A schedule every 2 seconds, as the office would set one in the admin.
    manage(
        "shell",
        "-c",
        (
            "from django_celery_beat.models import IntervalSchedule, PeriodicTask;"
            "s, _ = IntervalSchedule.objects.get_or_create(every=2, period='seconds');"
            "PeriodicTask.objects.create(name='ping-test', task='core.tasks.ping', interval=s, args='[\"beat\"]')"
        ),
    )
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--pool",
            "threads",
            "--concurrency",
            "2",
            "--loglevel",
            "info",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        sent = manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from core.tasks import ping; print(ping.delay('on-demand').get(timeout=60))",
            timeout=90,
        )
        assert "'pong': 'on-demand'" in sent.stdout
        deadline = time.time() + 60
        count = "0"
        while time.time() < deadline:
            count = (
                manage(
                    "shell",
                    "-v",
                    "0",
                    "-c",
                    (
                        "from django_celery_results.models import TaskResult;"
                        "print(TaskResult.objects.filter(task_name='core.tasks.ping', task_args__contains='beat', status='SUCCESS').count())"  # noqa: E501
                    ),
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            if int(count) >= 1:
                break
            time.sleep(2)
        assert int(count) >= 1, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
