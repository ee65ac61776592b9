"""One FilterSet per model, shared by the list page, the API and the export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Assignment, CommandBody, Person, Region, Unit


class RegionChoiceField(forms.ModelChoiceField):
    """Regions indented by level, so a long list still reads as a tree."""

    def label_from_instance(self, obj):
        return "\u3000" * max(0, obj.level - 1) + obj.name


@extend_schema_field(OpenApiTypes.INT)
class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


def _regions(request=None):
    return Region.objects.order_by("path")


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Region.Level.choices)
    parent = RegionFilter(label=_("Parent"), queryset=_regions)
    under = RegionFilter(label=_("Under"), queryset=_regions, method="filter_under")

    class Meta:
        model = Region
        fields = ["q", "level", "parent", "under"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_under(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path)


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Unit.Kind.choices)
    civilized_level = django_filters.ChoiceFilter(
        label=_("Civilized-unit level"),
        choices=[c for c in Unit.CivilizedLevel.choices if c[0]],
    )
    region = RegionFilter(label=_("Region (with everything under it)"), queryset=_regions, method="filter_region")

    class Meta:
        model = Unit
        fields = ["q", "kind", "civilized_level", "region"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, position or phone"), method="filter_q")
    rank = django_filters.ChoiceFilter(label=_("Rank"), choices=Person.Rank.choices)
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=lambda request: Unit.objects.order_by("code"))

    class Meta:
        model = Person
        fields = ["q", "rank", "unit"]

    def filter_q(self, queryset, name, value):
        # Phones are masked for everyone but the office (core.masking): for them a phone matches only whole, so
        # searching digit by digit reveals nothing masked.
        user = getattr(self.request, "user", None)
        phone = Q(phone__icontains=value) if getattr(user, "is_office", False) else Q(phone=value.strip())
        return queryset.filter(Q(name__icontains=value) | Q(title__icontains=value) | phone)


class CommandBodyFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CommandBody.Kind.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("Parent body"), queryset=lambda request: CommandBody.objects.all()
    )
    campaign = django_filters.NumberFilter(label=_("Campaign"), field_name="campaign_id", min_value=1, decimal_places=0)

    class Meta:
        model = CommandBody
        fields = ["kind", "parent", "campaign"]


class AssignmentFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        label=_("Leader"),
        queryset=lambda request: Person.objects.exclude(rank=Person.Rank.STAFF).order_by("name"),
    )
    region = RegionFilter(label=_("Region (with everything under it)"), queryset=_regions, method="filter_region")
    rank = django_filters.ChoiceFilter(label=_("Rank"), field_name="person__rank", choices=Person.Rank.choices)
    has_letter = django_filters.BooleanFilter(
        label=_("Responsibility letter"),
        method="filter_has_letter",
        widget=forms.Select(choices=[("", "---------"), ("true", _("Attached")), ("false", _("Missing"))]),
    )

    class Meta:
        model = Assignment
        fields = ["person", "region", "rank", "has_letter"]

    def filter_region(self, queryset, name, value):
        # An assignment to a site counts under the region the site is in.
        return queryset.filter(Q(region__path__startswith=value.path) | Q(site__region__path__startswith=value.path))

    def filter_has_letter(self, queryset, name, value):
        if value is None:
            return queryset
        empty = Q(responsibility_letter="") | Q(responsibility_letter__isnull=True)
        return queryset.exclude(empty) if value else queryset.filter(empty)
