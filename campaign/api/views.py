"""Command structure API: everyone signed in reads; only the campaign office writes (through the services)."""

from rest_framework import mixins, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from campaign import selectors, services
from campaign.filtersets import (
    AssignmentFilterSet,
    CommandBodyFilterSet,
    PersonFilterSet,
    RegionFilterSet,
    UnitFilterSet,
)
from campaign.models import Assignment, CommandBody, Membership, Person, Region, Unit
from core.api.permissions import OfficeWritesOnly
from core.api.viewsets import ScopedViewSet

from . import serializers


class CommandStructureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Nothing here is deleted: regions, units and people are deactivated or moved instead."""

    permission_classes = [OfficeWritesOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]


class RegionViewSet(CommandStructureViewSet):
    """Regions; `under=<id>` gives that region and everything under it."""

    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet
    model = Region
    visible = staticmethod(selectors.regions_visible_to)

    def shape(self, queryset):
        return queryset.order_by("path")


class UnitViewSet(CommandStructureViewSet):
    serializer_class = serializers.UnitSerializer
    filterset_class = UnitFilterSet
    model = Unit
    visible = staticmethod(selectors.units_visible_to)

    def shape(self, queryset):
        return queryset.select_related("region").order_by("code")


class PersonViewSet(CommandStructureViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilterSet
    model = Person
    visible = staticmethod(selectors.people_visible_to)

    def shape(self, queryset):
        return queryset.select_related("unit").order_by("name", "id")


class CommandBodyViewSet(CommandStructureViewSet):
    """Headquarters, office, supervision groups, task forces and working groups, with members and regions."""

    serializer_class = serializers.CommandBodySerializer
    filterset_class = CommandBodyFilterSet
    model = CommandBody
    visible = staticmethod(selectors.command_bodies_visible_to)

    def shape(self, queryset):
        return selectors.command_body_list(queryset)


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members of command bodies: POST adds a person with a role, DELETE removes them (history is kept)."""

    serializer_class = serializers.MembershipSerializer
    permission_classes = [OfficeWritesOnly]
    filterset_fields = ["body", "person", "role"]

    def get_queryset(self):
        return (
            Membership.objects.filter(body__in=selectors.command_bodies_visible_to(self.request.user))
            .select_related("body", "person")
            .order_by("body__sort_order", "sort_order", "id")
        )

    def perform_destroy(self, instance):
        services.membership_remove(actor=self.request.user, membership=instance)


class AssignmentViewSet(CommandStructureViewSet):
    """Leaders' responsibilities (包抓); the responsibility letter is uploaded as multipart."""

    serializer_class = serializers.AssignmentSerializer
    filterset_class = AssignmentFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    model = Assignment
    visible = staticmethod(selectors.assignments_visible_to)

    def shape(self, queryset):
        return selectors.assignment_list(queryset)
