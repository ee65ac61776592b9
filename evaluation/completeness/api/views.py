"""The completeness API (`material-completeness/`) and the packages (`material-packages/`)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import ReadOnlyScopedViewSet
from core.exceptions import DomainError
from evaluation.models import MaterialPackage

from .. import package, selectors
from .serializers import CompletenessRowSerializer, CompletenessTotalsSerializer, MaterialPackageSerializer


def parse_group_by(value):
    """None, or one of selectors.GROUPS; anything else a 400 with a translated message."""
    if value in (None, ""):
        return None
    if value not in selectors.GROUPS:
        raise DomainError(_("Group by unit, standard, content or project."), field="group_by")
    return value


class MaterialCompletenessView(APIView):
    """How complete the material is, over the requirement × unit pairs you can see.

    `totals`, and with group_by (unit, standard, content, project) `results`: one row per group with `id`, `code`,
    `name`, `required` (pairs), `submitted` (current version submitted or accepted), `accepted`, `returned` (current
    version returned), `overdue` (due date passed, nothing submitted or accepted, including no submission at all),
    `late` (submitted after the due date), `points_at_risk` (the points of the standards with at least one pair
    whose material is missing — nothing or a draft — or returned; each standard once per group) and
    `accepted_rate` (0–1, null without pairs); rows weakest first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(selectors.GROUPS))],
        responses=inline_serializer(
            "MaterialCompleteness",
            {
                "group_by": serializers.CharField(allow_null=True),
                "as_of": serializers.DateField(),
                "totals": CompletenessTotalsSerializer(),
                "results": CompletenessRowSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        group_by = parse_group_by(request.query_params.get("group_by"))
        return Response(selectors.completeness(user=request.user, group_by=group_by))


class MaterialPackageViewSet(ReadOnlyScopedViewSet):
    """The accepted material as one .zip (office and leader read; the office starts one: 202, built in the
    background, `status` queued → building → ready or failed, `files_done` of `files_total`)."""

    model = MaterialPackage
    serializer_class = MaterialPackageSerializer

    def shape(self, queryset):
        return queryset.select_related("created_by")

    @extend_schema(request=None, responses={202: MaterialPackageSerializer})
    def create(self, request):
        row = package.package_request(actor=request.user)
        row = self.get_queryset().get(pk=row.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_202_ACCEPTED)
