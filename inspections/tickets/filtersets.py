"""One FilterSet for tickets, shared by the list page, the API and the export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.models import Region, Unit
from core.inputs import DateFilter
from inspections.models import Category, Site, Ticket
from inspections.tickets.selectors import overdue_q


class TicketFilterSet(django_filters.FilterSet):
    # distinct=False: status is a column of the ticket itself, no join can repeat rows.
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Ticket.Status.choices, distinct=False)
    unit = django_filters.ModelChoiceFilter(label=_("Responsible unit"), queryset=Unit.objects.all())
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.all(), method="filter_region")
    site = django_filters.ModelChoiceFilter(label=_("Site"), queryset=Site.objects.all())
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Ticket.Source.choices)
    # The readiness page links a standard's open tickets here (evaluation/readiness).
    standard = django_filters.NumberFilter(
        label=_("Evaluation standard"), field_name="standard_id", min_value=1, max_value=2**31 - 1
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    created_after = DateFilter(label=_("Reported on or after"), method="filter_created_after")
    created_before = DateFilter(label=_("Reported on or before"), method="filter_created_before")
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Ticket
        fields = [
            "status",
            "unit",
            "region",
            "site",
            "category",
            "source",
            "standard",
            "overdue",
            "created_after",
            "created_before",
            "q",
        ]

    def filter_region(self, queryset, name, value):
        # The region and everything under it: one indexed prefix match on the materialised path.
        return queryset.filter(region__path__startswith=value.path) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_created_after(self, queryset, name, value):
        from inspections.tickets.selectors import day_bounds

        return queryset.filter(created_at__gte=day_bounds(value, None)[0]) if value else queryset

    def filter_created_before(self, queryset, name, value):
        from inspections.tickets.selectors import day_bounds

        return queryset.filter(created_at__lt=day_bounds(None, value)[1]) if value else queryset

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        # Matching sites first (500-odd rows), so every condition is on the ticket table and PostgreSQL can
        # combine its indexes (trigram on number and description, site_id) instead of scanning all tickets.
        site_ids = list(Site.objects.filter(name__icontains=value).values_list("id", flat=True)[:1000])
        return queryset.filter(Q(number__icontains=value) | Q(description__icontains=value) | Q(site_id__in=site_ids))
