"""The evaluation system moves from inspections to evaluation, keeping its rows and ids.

State only: the model is declared here on its old table (`inspections_evaluationitem`); inspections 0007 points its
relations here and forgets the model; 0002 then renames the table (PostgreSQL and SQLite keep the foreign keys)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("inspections", "0006_site_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EvaluationItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "level",
                            models.CharField(
                                choices=[
                                    ("project", "Evaluation project"),
                                    ("content", "Evaluation content"),
                                    ("standard", "Evaluation standard"),
                                ],
                                max_length=20,
                                verbose_name="level",
                            ),
                        ),
                        ("code", models.CharField(max_length=40, unique=True, verbose_name="code")),
                        ("text", models.TextField(verbose_name="text")),
                        (
                            "method",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("field", "Field inspection"),
                                    ("questionnaire", "Questionnaire"),
                                    ("material", "Material review"),
                                ],
                                max_length=20,
                                verbose_name="method",
                            ),
                        ),
                        (
                            "max_score",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="maximum score"
                            ),
                        ),
                        ("sort_order", models.PositiveIntegerField(default=0, verbose_name="order")),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="evaluation.evaluationitem",
                                verbose_name="parent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "evaluation item",
                        "verbose_name_plural": "evaluation items",
                        "ordering": ["sort_order", "code"],
                        "db_table": "inspections_evaluationitem",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
