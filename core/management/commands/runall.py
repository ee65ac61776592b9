"""Serve the app with a Celery worker and beat beside it; Ctrl-C stops all of it.

With REDIS_URL the worker uses Redis; otherwise the broker is a folder on disk (settings), so scheduled
jobs run with no server to install.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = ("office", "supervisor", "unit", "unit2", "leader", "surveyor")


class Command(BaseCommand):
    help = "Run the web server together with a Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, host, port, **options):
        # Ctrl-C arrives as SIGINT, `kill` or a supervisor as SIGTERM, and a background start may have
        # inherited SIGINT as ignored: both stop the server and the worker the same way.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--loglevel",
                "info",
                "--pool",
                "threads",
                "--concurrency",
                "2",
                "--schedule",
                str(settings.VAR_DIR / "celerybeat-schedule"),
            ],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.base"),
            },
            start_new_session=True,
        )
        broker = "Redis" if settings.REDIS_URL else "embedded (no server)"
        self.stdout.write(self.style.SUCCESS(f"Celery worker and beat started (pid {worker.pid}, broker: {broker})."))
        self.stdout.write(
            f"\n  创文通 at http://{host}:{port}/\n  Demo accounts (password demo-pass-2024): "
            + ", ".join(DEMO_ACCOUNTS)
            + "\n"
        )
        # Safe defaults (issue 9): no technical error pages unless asked for; the key stays in var/.
        self.stdout.write(
            "  Debug pages: " + ("ON (DEBUG=true)" if settings.DEBUG else "off (set DEBUG=true to show them)") + "\n"
        )
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            self.stdout.write("Stopping the worker …")
            try:
                os.killpg(worker.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            for _ in range(50):
                if worker.poll() is not None:
                    break
                time.sleep(0.2)
            else:
                os.killpg(worker.pid, signal.SIGKILL)
