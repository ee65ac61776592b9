"""One FilterSet per model, shared by the list page, the API and the export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.models import Region, Unit
from core.inputs import DateFilter

from .models import Activity, MicroWish, Pairing, PartyReport, Team, Volunteer
from .widgets import FastSelect


class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """A region and everything under it (one indexed prefix match on the materialised path)."""

    def __init__(self, *args, path_field="region__path", **kwargs):
        self.path_field = path_field
        kwargs.setdefault("queryset", Region.objects.filter(level__lte=Region.Level.COMMUNITY))
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.path_field}__startswith": value.path})


class TeamFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    is_brand = django_filters.BooleanFilter(label=_("Brand team"))
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("Organising unit"), widget=FastSelect)
    region = RegionSubtreeFilter()

    class Meta:
        model = Team
        fields = ["q", "is_brand", "unit", "region"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(leader_name__icontains=value))


class VolunteerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or phone"))
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(),
        field_name="memberships__team",
        label=_("Team"),
        distinct=False,
        method="in_team",
        widget=FastSelect,
    )
    region = RegionSubtreeFilter()
    gender = django_filters.ChoiceFilter(choices=Volunteer.Gender.choices, label=_("Gender"))
    is_party_member = django_filters.BooleanFilter(label=_("Party member"))
    registered_after = DateFilter(field_name="registered_on", lookup_expr="gte", label=_("Registered from"))
    registered_before = DateFilter(field_name="registered_on", lookup_expr="lte", label=_("Registered until"))

    class Meta:
        model = Volunteer
        fields = ["q", "team", "region", "gender", "is_party_member", "registered_after", "registered_before"]

    def search(self, qs, name, value):
        value = value.strip()
        # A phone number is searched whole (exact), so a partial number reveals nothing masked.
        return qs.filter(Q(name__icontains=value) | Q(phone=value))

    def in_team(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(memberships__team=value)


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="theme", lookup_expr="icontains", label=_("Theme"))
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, label=_("Kind"))
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), label=_("Team"), widget=FastSelect)
    region = RegionSubtreeFilter()
    start_after = DateFilter(field_name="start_at", lookup_expr="date__gte", label=_("From"))
    start_before = DateFilter(field_name="start_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = Activity
        fields = ["q", "kind", "team", "region", "start_after", "start_before"]


class PairingFilterSet(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.exclude(civilized_level=""), label=_("Civilized unit"), widget=FastSelect
    )
    community = RegionSubtreeFilter(path_field="community__path", label=_("Community"))

    class Meta:
        model = Pairing
        fields = ["unit", "community"]


class PartyReportFilterSet(django_filters.FilterSet):
    month = DateFilter(field_name="month", label=_("Month"))
    community = RegionSubtreeFilter(path_field="community__path", label=_("Community"))

    class Meta:
        model = PartyReport
        fields = ["month", "community"]


class MicroWishFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MicroWish.Status.choices, label=_("Status"))
    community = RegionSubtreeFilter(path_field="community__path", label=_("Community"))

    class Meta:
        model = MicroWish
        fields = ["status", "community"]
