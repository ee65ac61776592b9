"""Trigram indexes for the ticket search (q): `icontains` on number and description becomes an index scan on
PostgreSQL instead of reading every ticket. SQLite has no pg_trgm: nothing to do there."""
from django.db import migrations

INDEXES = {
    "ticket_description_trgm": "upper(description) gin_trgm_ops",
    "ticket_number_trgm": "upper(number) gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON inspections_ticket USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_escalation_schedule")]

    operations = [migrations.RunPython(create, drop)]
