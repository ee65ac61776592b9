"""One FilterSet per model, shared by the list page, the map, the API and the export."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.models import Unit
from core.inputs import DateFilter
from volunteers.filtersets import RegionSubtreeFilter
from volunteers.widgets import FastSelect

from .models import Asset, AssetCheck, Condition, Post, PrintedMaterial, ThemeEvent


class AssetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=Asset.Kind.choices, label=_("Type"))
    condition = django_filters.ChoiceFilter(choices=Condition.choices, label=_("Condition"))
    region = RegionSubtreeFilter()
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("Responsible unit"), widget=FastSelect)
    # Bounded: a day count past a century overflowed the date arithmetic (a 500, issue 9 finding 8).
    not_checked_days = django_filters.NumberFilter(
        method="not_checked", label=_("Not checked for (days)"), min_value=0, max_value=36500, decimal_places=0
    )
    has_open_ticket = django_filters.BooleanFilter(
        field_name="open_ticket", lookup_expr="isnull", exclude=True, label=_("Has an open ticket")
    )

    class Meta:
        model = Asset
        fields = ["q", "kind", "condition", "region", "unit", "not_checked_days", "has_open_ticket"]

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(
            Q(code__icontains=value)
            | Q(theme__icontains=value)
            | Q(address__icontains=value)
            | Q(site__name__icontains=value)
        )

    def not_checked(self, qs, name, value):
        if value is None:
            return qs
        since = timezone.now() - timedelta(days=int(value))
        return qs.filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=since))


class AssetCheckFilterSet(django_filters.FilterSet):
    asset = django_filters.NumberFilter(field_name="asset_id", label=_("Asset"), min_value=1, decimal_places=0)
    condition = django_filters.ChoiceFilter(choices=Condition.choices, label=_("Condition"))
    checked_after = DateFilter(field_name="checked_at", lookup_expr="date__gte", label=_("From"))
    checked_before = DateFilter(field_name="checked_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = AssetCheck
        fields = ["asset", "condition", "checked_after", "checked_before"]


class PostFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"))
    channel = django_filters.ChoiceFilter(choices=Post.Channel.choices, label=_("Channel"))
    published_after = DateFilter(field_name="published_on", lookup_expr="gte", label=_("From"))
    published_before = DateFilter(field_name="published_on", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Post
        fields = ["q", "channel", "published_after", "published_before"]


class PrintedMaterialFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PrintedMaterial.Kind.choices, label=_("Kind"))
    region = RegionSubtreeFilter()

    class Meta:
        model = PrintedMaterial
        fields = ["kind", "region"]


class ThemeEventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"))
    region = RegionSubtreeFilter()

    class Meta:
        model = ThemeEvent
        fields = ["q", "region"]
