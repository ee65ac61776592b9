"""One FilterSet per model, shared by the list page, the API and the export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import EvaluationItem, Method


class EvaluationItemFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=EvaluationItem.Level.choices)
    parent = django_filters.NumberFilter(label=_("Parent"), field_name="parent_id", min_value=1, max_value=2**63 - 1)
    method = django_filters.ChoiceFilter(
        label=_("Method"), choices=Method.choices, field_name="methods__method", distinct=True
    )

    class Meta:
        model = EvaluationItem
        fields = ["level", "parent", "method"]
