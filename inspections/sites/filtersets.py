"""One FilterSet per model, shared by the list page, the API and the export."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from campaign.models import Region, Unit
from campaign.selectors import region_subtree_q
from core.inputs import DateFilter
from inspections.models import Patrol, PatrolVisit, Site, SiteType
from inspections.sites.selectors import sites_near

MAX_NEAR_RADIUS_M = 50_000


class NearForm(forms.Form):
    near_point = None

    def clean(self):
        cleaned = super().clean()
        near = cleaned.get("near")
        if near:
            try:
                lat, lng = (float(part) for part in near.split(","))
            except ValueError:
                self.add_error("near", _("Give the position as latitude,longitude, e.g. 40.0768,113.3001."))
                return cleaned
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                self.add_error("near", _("Latitude must be between -90 and 90 and longitude between -180 and 180."))
                return cleaned
            self.near_point = (lat, lng)
        radius = cleaned.get("radius")
        if radius is not None and not (0 < radius <= MAX_NEAR_RADIUS_M):
            self.add_error("radius", _("The radius must be between 1 and %(max)s metres.") % {"max": MAX_NEAR_RADIUS_M})
        return cleaned


class SiteFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    site_type = django_filters.ModelChoiceFilter(
        label=_("Site type"), queryset=SiteType.objects.order_by("sort_order", "name")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.filter(level__lte=Region.Level.COMMUNITY).order_by("path"),
        method="filter_region",
    )
    unit = django_filters.ModelChoiceFilter(label=_("Responsible unit"), queryset=Unit.objects.order_by("code"))
    is_key = django_filters.BooleanFilter(
        label=_("Key sites"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Key sites only")), ("false", _("Other sites"))]),
    )
    near = django_filters.CharFilter(label=_("Near (lat,lng)"), method="filter_noop")
    radius = django_filters.NumberFilter(label=_("Radius (m)"), method="filter_noop")

    class Meta:
        model = Site
        fields = ["q", "site_type", "region", "unit", "is_key"]
        form = NearForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value))

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_subtree_q(value)) if value else queryset

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        point = self.form.near_point
        if point:
            radius = self.form.cleaned_data.get("radius") or 1000
            queryset = sites_near(queryset, lat=point[0], lng=point[1], radius_m=float(radius))
        return queryset


class PatrolFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Patrol.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Patrol.Status.choices)
    started_after = DateFilter(
        label=_("Started from"),
        field_name="started_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    started_before = DateFilter(
        label=_("Started until"),
        field_name="started_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    site = django_filters.NumberFilter(label=_("Site"), method="filter_site", min_value=1, decimal_places=0)
    mine = django_filters.BooleanFilter(label=_("My patrols"), method="filter_mine", widget=forms.CheckboxInput)

    class Meta:
        model = Patrol
        fields = ["kind", "status", "started_after", "started_before", "site"]

    def filter_site(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(PatrolVisit.objects.filter(patrol_id=OuterRef("pk"), site_id=value)))

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        user = self.request.user
        joined = Patrol.members.through.objects.filter(patrol_id=OuterRef("pk"), user_id=user.pk)
        return queryset.filter(Q(leader=user) | Exists(joined))
