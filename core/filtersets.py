"""The security log's filter, shared by its page and its .xlsx export."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SecurityEvent


class SecurityEventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Event"), choices=SecurityEvent.Kind.choices)
    user = django_filters.CharFilter(label=_("User"), method="filter_user", max_length=150)
    ip_address = django_filters.CharFilter(label=_("Address"), lookup_expr="startswith", max_length=45)
    start = django_filters.DateFilter(
        label=_("From"), method="filter_start", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(label=_("To"), method="filter_end", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = SecurityEvent
        fields = ["kind", "user", "ip_address", "start", "end"]

    def filter_user(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(username__icontains=value) | Q(user__username__icontains=value)) if value else queryset

    # Days are local days (Asia/Shanghai), as the office reads them; a year at the edge of the calendar (0001,
    # 9999) would overflow the time-zone arithmetic and means "no limit" anyway.
    def filter_start(self, queryset, name, value):
        if not 1 < value.year < 9999:
            return queryset
        return queryset.filter(created_at__gte=timezone.make_aware(datetime.combine(value, time.min)))

    def filter_end(self, queryset, name, value):
        if not 1 < value.year < 9999:
            return queryset
        return queryset.filter(
            created_at__lt=timezone.make_aware(datetime.combine(value + timedelta(days=1), time.min))
        )
