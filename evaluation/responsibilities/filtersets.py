"""The responsibility list's one FilterSet, shared by the list page, the API and the export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from campaign.models import Unit
from evaluation.models import EvaluationItem, Method, Responsibility


def _projects(request=None):
    return EvaluationItem.objects.filter(level=EvaluationItem.Level.PROJECT).order_by("sort_order", "code")


def _contents(request=None):
    return EvaluationItem.objects.filter(level=EvaluationItem.Level.CONTENT).order_by("sort_order", "code")


def _units(request=None):
    return Unit.objects.order_by("code")


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.text[:30]}"


@extend_schema_field(OpenApiTypes.INT)
class ItemChoiceFilter(django_filters.ModelChoiceFilter):
    """An evaluation project or content, shown with its code."""

    field_class = ItemChoiceField


@extend_schema_field(OpenApiTypes.INT)
class UnitFilter(django_filters.ModelChoiceFilter):
    pass


class ResponsibilityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)
    project = ItemChoiceFilter(label=_("Evaluation project"), queryset=_projects, field_name="standard__parent__parent")
    content = ItemChoiceFilter(label=_("Evaluation content"), queryset=_contents, field_name="standard__parent")
    unit = UnitFilter(label=_("Unit (lead or responsible)"), queryset=_units, method="filter_unit")
    method = django_filters.ChoiceFilter(label=_("Method"), choices=Method.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    done = django_filters.BooleanFilter(label=_("Done"), method="filter_done")

    class Meta:
        model = Responsibility
        fields = ["q", "project", "content", "unit", "method", "overdue", "done"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(task__icontains=value) | Q(standard__code__icontains=value) | Q(standard__text__icontains=value)
        )

    def filter_unit(self, queryset, name, value):
        return queryset.filter(pk__in=Responsibility.objects.filter(Q(lead_unit=value) | Q(units=value)).values("pk"))

    def filter_overdue(self, queryset, name, value):
        late = Q(done_at__isnull=True, deadline__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_done(self, queryset, name, value):
        return queryset.filter(done_at__isnull=not value)
