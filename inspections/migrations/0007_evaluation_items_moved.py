"""The evaluation system now lives in the evaluation app (evaluation 0001): the relations point there and this app
forgets the model. State only: the tables and their rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Admin log entries and permissions follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label="evaluation", model="evaluationitem").exists():
        return
    ContentType.objects.filter(app_label="inspections", model="evaluationitem").update(app_label="evaluation")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("inspections", "0006_site_history"),
        ("evaluation", "0001_move_evaluation_items"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sitetype",
                    name="standards",
                    field=models.ManyToManyField(
                        blank=True,
                        limit_choices_to={"level": "standard"},
                        related_name="site_types",
                        to="evaluation.evaluationitem",
                        verbose_name="checklist",
                    ),
                ),
                migrations.AlterField(
                    model_name="checklistresult",
                    name="standard",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="results",
                        to="evaluation.evaluationitem",
                        verbose_name="standard",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="standard",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="evaluation.evaluationitem",
                        verbose_name="evaluation standard",
                    ),
                ),
                migrations.DeleteModel(name="EvaluationItem"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
