"""The volunteers API. Lists use the same selectors and FilterSets as the pages; writes call the services."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import ReadOnlyScopedViewSet, ServiceWritesMixin
from core.periods import parse_period
from volunteers import selectors, services
from volunteers.filtersets import (
    ActivityFilterSet,
    MicroWishFilterSet,
    PairingFilterSet,
    TeamFilterSet,
    VolunteerFilterSet,
)

from . import serializers as s


class TeamViewSet(ServiceWritesMixin, mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    serializer_class = s.TeamSerializer
    filterset_class = TeamFilterSet
    selector = staticmethod(selectors.team_list)

    def service_create(self, data):
        return services.team_create(actor=self.request.user, **data)


class VolunteerViewSet(ServiceWritesMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    """Phone and ID number are masked unless the signed-in user is campaign office staff. PUT/PATCH: office only."""

    serializer_class = s.VolunteerSerializer
    filterset_class = VolunteerFilterSet
    selector = staticmethod(selectors.volunteer_list)

    def service_create(self, data):
        return services.volunteer_create(actor=self.request.user, **data)

    def service_update(self, volunteer, data):
        current = {
            "name": volunteer.name,
            "gender": volunteer.gender,
            "phone": volunteer.phone,
            "id_number": volunteer.id_number,
            "region": volunteer.region,
            "is_party_member": volunteer.is_party_member,
            "registered_on": volunteer.registered_on,
        }
        services.volunteer_update(actor=self.request.user, volunteer=volunteer, **{**current, **data})
        return volunteer


class ActivityViewSet(ServiceWritesMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    """Activities with their participants and hours. PUT/PATCH: the office or the team's organising unit."""

    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilterSet
    selector = staticmethod(selectors.activity_list)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        activities = list(page if page is not None else queryset)
        context = self.get_serializer_context()
        context["participants"] = selectors.participants_by_activity([a.pk for a in activities], user=request.user)
        data = s.ActivitySerializer(activities, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def service_create(self, data):
        return services.activity_create(actor=self.request.user, **data)

    def service_update(self, activity, data):
        current = {
            field: getattr(activity, field)
            for field in ("theme", "kind", "start_at", "end_at", "team", "site", "address", "description")
        }
        services.activity_update(actor=self.request.user, activity=activity, **{**current, **data})
        return activity

    @extend_schema(request=s.ParticipantInputSerializer, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        """Add a participant (`volunteer`, optional `hours`), or set the hours of one already there."""
        activity = self.get_object()
        data = s.ParticipantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        volunteer, hours = data.validated_data["volunteer"], data.validated_data.get("hours")
        existing = activity.participations.filter(volunteer=volunteer).first()
        if existing is not None and hours is not None:
            services.participation_set_hours(actor=request.user, participation=existing, hours=hours)
        else:
            services.participation_add(actor=request.user, activity=activity, volunteer=volunteer, hours=hours)
        return Response(
            s.ActivitySerializer(self.get_queryset().get(pk=activity.pk), context={"request": request}).data
        )


class PairingViewSet(ServiceWritesMixin, mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    serializer_class = s.PairingSerializer
    filterset_class = PairingFilterSet
    selector = staticmethod(selectors.pairing_list)

    def shape(self, queryset):
        return queryset.prefetch_related("joint_activities")

    def service_create(self, data):
        return services.pairing_create(
            actor=self.request.user,
            unit=data["unit"],
            community=data["community"],
            start_date=data.get("start_date"),
            content=data.get("content", ""),
        )

    @extend_schema(request=s.JointActivitySerializer, responses={201: s.PairingSerializer})
    @action(detail=True, methods=["post"], url_path="joint-activities")
    def joint_activities(self, request, pk=None):
        pairing = self.get_object()
        data = s.JointActivitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.joint_activity_add(actor=request.user, pairing=pairing, **data.validated_data)
        return Response(
            s.PairingSerializer(self.get_queryset().get(pk=pairing.pk)).data, status=status.HTTP_201_CREATED
        )


class MicroWishViewSet(ServiceWritesMixin, mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """posted → claimed (by a volunteer or a unit) → fulfilled (with a photo); other moves answer 409."""

    serializer_class = s.MicroWishSerializer
    filterset_class = MicroWishFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    selector = staticmethod(selectors.microwish_list)

    def service_create(self, data):
        return services.microwish_post(actor=self.request.user, **data)

    @extend_schema(request=s.ClaimInputSerializer, responses=s.MicroWishSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        wish = self.get_object()
        data = s.ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wish = services.microwish_claim(
            actor=request.user,
            wish=wish,
            volunteer=data.validated_data.get("volunteer"),
            unit=data.validated_data.get("unit"),
        )
        return Response(s.MicroWishSerializer(wish, context={"request": request}).data)

    @extend_schema(request=s.FulfilInputSerializer, responses=s.MicroWishSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        wish = self.get_object()
        data = s.FulfilInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wish = services.microwish_fulfil(actor=request.user, wish=wish, **data.validated_data)
        return Response(s.MicroWishSerializer(wish, context={"request": request}).data)


class VolunteerFiguresView(APIView):
    """Registered and active volunteers, person-times and service hours, by team, region and month."""

    @extend_schema(parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)], responses=dict)
    def get(self, request):
        start, end = parse_period(request)
        return Response(selectors.volunteer_figures(start=start, end=end))
