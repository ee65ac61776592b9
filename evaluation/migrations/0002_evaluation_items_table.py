"""The moved evaluation system takes its own table name (the rows, ids and foreign keys stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_move_evaluation_items"),
        ("inspections", "0007_evaluation_items_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="evaluationitem", table=None),
    ]
