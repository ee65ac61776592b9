"""Build the demo city: campaign → inspections → evaluation → volunteers → publicity → reports, one random source."""

import importlib
import random
import time

from django.core.management.base import BaseCommand
from django.db import connection

from campaign.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from campaign.models import Campaign

SEED_MODULES = [
    "campaign.demo",
    "inspections.demo",
    "evaluation.demo",
    "volunteers.demo",
    "publicity.demo",
    "reports.demo",
]


class Command(BaseCommand):
    help = "Load the demo city (Datong Pingcheng district). Safe to run again: what exists is left alone."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when a campaign already exists")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, if_empty=False, seed=2026, **options):
        if if_empty and Campaign.objects.exists():
            self.stdout.write("The database already holds a campaign: demo data not loaded.")
            self._print_accounts()
            return
        rng = random.Random(seed)
        for name in SEED_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:  # the module exists but something it imports is missing: a real error
                    raise
                continue
            started = time.monotonic()
            module.seed(rng=rng, stdout=self.stdout)
            self.stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")
        if connection.vendor == "postgresql":
            # Fresh statistics after the bulk inserts; stale ones made PostgreSQL scan whole tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._print_accounts()

    def _print_accounts(self):
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password {DEMO_PASSWORD}):"))
        for username, role, scope in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {role:<36} {scope}")
