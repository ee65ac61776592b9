"""One FilterSet per model of material review, shared by the list pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.models import Unit
from core.inputs import DateFilter
from evaluation.models import EvaluationItem, MaterialRequirement, MaterialSubmission

from .selectors import OWED_STATUSES, local_today

ID_MAX = 2**63 - 1


class MaterialRequirementFilterSet(django_filters.FilterSet):
    standard = django_filters.ModelChoiceFilter(
        label=_("Standard"), queryset=EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD)
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Evaluation project"),
        queryset=EvaluationItem.objects.filter(level=EvaluationItem.Level.PROJECT),
        field_name="standard__parent__parent",
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MaterialRequirement.Kind.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("Submitting unit"), queryset=Unit.objects.all(), field_name="units", distinct=True
    )
    due_after = DateFilter(
        label=_("Due on or after"), field_name="due_date", lookup_expr="gte", widget=forms.DateInput({"type": "date"})
    )
    due_before = DateFilter(
        label=_("Due on or before"), field_name="due_date", lookup_expr="lte", widget=forms.DateInput({"type": "date"})
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)

    class Meta:
        model = MaterialRequirement
        fields = ["standard", "project", "kind", "unit", "due_after", "due_before", "q"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(standard__code__icontains=value) | Q(standard__text__icontains=value)
        )


class MaterialSubmissionFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=MaterialSubmission.Status.choices, distinct=False
    )
    requirement = django_filters.NumberFilter(
        label=_("Requirement"), field_name="requirement_id", min_value=1, max_value=ID_MAX
    )
    standard = django_filters.NumberFilter(
        label=_("Standard"), field_name="requirement__standard_id", min_value=1, max_value=ID_MAX
    )
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    current = django_filters.BooleanFilter(label=_("Current version only"), field_name="is_current")
    late = django_filters.BooleanFilter(label=_("Submitted late"), field_name="is_late")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = MaterialSubmission
        fields = ["status", "requirement", "standard", "unit", "current", "late", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(is_current=True, status__in=OWED_STATUSES, requirement__due_date__lt=local_today())
        return queryset.filter(condition) if value else queryset.exclude(condition)
