"""API of site types, sites, problem categories and patrols, on core.api.viewsets: the rows are the visible ones
(core.registry.visible_to), writes are one service call each."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import OfficeWritesOnly
from core.api.viewsets import ScopedViewSet, ServiceWritesMixin
from inspections.models import Category, ChecklistResult, Patrol, PatrolVisit, SiteType
from inspections.sites import selectors, services
from inspections.sites.filtersets import PatrolFilterSet, SiteFilterSet

from .serializers import (
    CategorySerializer,
    CheckInSerializer,
    FinishSerializer,
    PatrolSerializer,
    PatrolStartSerializer,
    PatrolVisitSerializer,
    RecordResultsSerializer,
    SiteSerializer,
    SiteTypeSerializer,
)


# Site types, categories and sites: read by everyone who may see them, written by the campaign office through the
# services; nothing is deleted. No docstring here, and ListModelMixin first: drf-spectacular takes an undocumented
# view's description from its classes before the first DRF one, so neither this nor ServiceWritesMixin's docstring
# reaches the schema (ServiceWritesMixin's perform_create/perform_update still come before the DRF mixins').
class OfficeWritesViewSet(
    mixins.ListModelMixin,
    ServiceWritesMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    permission_classes = [permissions.IsAuthenticated, OfficeWritesOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class SiteTypeViewSet(OfficeWritesViewSet):
    serializer_class = SiteTypeSerializer
    model = SiteType

    def shape(self, queryset):
        return queryset.prefetch_related("standards").order_by("sort_order", "name")

    def service_create(self, data):
        return services.site_type_save(
            actor=self.request.user,
            name=data["name"],
            code=data["code"],
            sort_order=data.get("sort_order", 0),
            standards=data.get("standards"),
        )

    def service_update(self, instance, data):
        values = {**SiteTypeSerializer(instance).data, **data}
        return services.site_type_save(
            actor=self.request.user,
            site_type=instance,
            name=values["name"],
            code=values["code"],
            sort_order=values["sort_order"],
            standards=data.get("standards"),  # left out: the standards stay
        )


class CategoryViewSet(OfficeWritesViewSet):
    serializer_class = CategorySerializer
    filterset_fields = ["group", "severity", "is_active"]
    model = Category

    def shape(self, queryset):
        return queryset.order_by("group", "code")

    def service_create(self, data):
        return services.category_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        values = {
            f: getattr(instance, f) for f in ("name", "code", "group", "severity", "deadline_working_days", "is_active")
        }
        values.update(data)
        return services.category_save(actor=self.request.user, category=instance, **values)


@extend_schema(
    parameters=[
        OpenApiParameter("near", str, description="lat,lng: only sites within `radius` metres, nearest first"),
        OpenApiParameter("radius", float, description="metres (default 1000)"),
    ]
)
class SiteViewSet(OfficeWritesViewSet):
    """Sites in the user's scope. `?near=lat,lng&radius=m` returns the sites within the radius, nearest
    first, each with `distance_m`."""

    serializer_class = SiteSerializer
    filterset_class = SiteFilterSet
    selector = staticmethod(selectors.site_list)

    def _save(self, data, site=None):
        fields = {
            f: data.get(f, getattr(site, f) if site else None)
            for f in ("name", "code", "site_type", "region", "unit", "lat", "lng")
        }
        fields["address"] = data.get("address", site.address if site else "")
        fields["is_key"] = data.get("is_key", site.is_key if site else False)
        fields["is_active"] = data.get("is_active", site.is_active if site else True)
        return services.site_save(actor=self.request.user, site=site, **fields)

    def service_create(self, data):
        return self._save(data)

    def service_update(self, instance, data):
        return self._save(data, instance)


class PatrolViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Patrols with their site visits and checklist results. POST starts a patrol; then POST
    `{id}/check-in/`, `{id}/results/` and `{id}/finish/`."""

    serializer_class = PatrolSerializer
    filterset_class = PatrolFilterSet
    model = Patrol

    def shape(self, queryset):
        visits = (
            PatrolVisit.objects.select_related("site")
            .prefetch_related(
                Prefetch("results", queryset=ChecklistResult.objects.select_related("standard").order_by("pk"))
            )
            .order_by("checked_in_at", "pk")
        )
        return (
            queryset.select_related("leader")
            .prefetch_related("members", Prefetch("visits", queryset=visits))
            .order_by("-started_at", "-pk")
        )

    def _patrol(self):
        return get_object_or_404(selectors.patrols_visible_to(self.request.user), pk=self.kwargs["pk"])

    def _answer(self, patrol, code=status.HTTP_200_OK):
        return Response(PatrolSerializer(self.get_queryset().get(pk=patrol.pk)).data, status=code)

    @extend_schema(request=PatrolStartSerializer, responses=PatrolSerializer)
    def create(self, request, *args, **kwargs):
        data = PatrolStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patrol = services.patrol_start(actor=request.user, **data.validated_data)
        return self._answer(patrol, status.HTTP_201_CREATED)

    @extend_schema(request=CheckInSerializer, responses={201: PatrolVisitSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        patrol = self._patrol()
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = get_object_or_404(selectors.sites_visible_to(request.user), pk=data.validated_data["site"])
        visit = services.patrol_check_in(
            actor=request.user,
            patrol=patrol,
            site=site,
            lat=data.validated_data["lat"],
            lng=data.validated_data["lng"],
            note=data.validated_data["note"],
        )
        return Response(PatrolVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecordResultsSerializer, responses={201: PatrolVisitSerializer})
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        patrol = self._patrol()
        data = RecordResultsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = get_object_or_404(PatrolVisit, pk=data.validated_data["visit"], patrol=patrol)
        services.patrol_record_results(
            actor=request.user, visit=visit, results=[dict(r) for r in data.validated_data["results"]]
        )
        visit = PatrolVisit.objects.select_related("site").prefetch_related("results__standard").get(pk=visit.pk)
        return Response(PatrolVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FinishSerializer, responses=PatrolSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        patrol = self._patrol()
        data = FinishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.patrol_finish(actor=request.user, patrol=patrol, note=data.validated_data["note"])
        return self._answer(patrol)
