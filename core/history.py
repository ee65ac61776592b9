"""Helpers for models with django-simple-history."""


def backfill_created_rows(apps, app_label: str, model_name: str, fields: list[str], *, when: str | None = "created_at"):
    """For a data migration that adds history to a model with rows already: a "created" history row for each, dated
    by its `when` field (or the migration's time when the model has none), so that the first edit of an old row
    shows what changed. `fields`: the tracked columns."""
    from django.db.models import DateTimeField, F, Value
    from django.utils import timezone

    model = apps.get_model(app_label, model_name)
    history = apps.get_model(app_label, f"Historical{model_name}")
    date = F(when) if when else Value(timezone.now(), output_field=DateTimeField())
    batch = []
    for values in model.objects.order_by("pk").values(*fields, history_date=date).iterator(chunk_size=2000):
        batch.append(history(**values, history_type="+"))
        if len(batch) >= 2000:
            history.objects.bulk_create(batch)
            batch = []
    history.objects.bulk_create(batch)
