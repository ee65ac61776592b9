"""The readiness API (`readiness/`): the predicted score now, or a kept week."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaign.models import Region
from core.exceptions import DomainError
from core.inputs import validate_calendar_day

from .. import selectors
from .serializers import ReadinessRowSerializer, ReadinessTotalsSerializer

API_GROUPS = ("standard", "content", "project", "region")


def parse_group_by(value) -> str:
    if value in (None, ""):
        return "standard"
    if value not in API_GROUPS:
        raise DomainError(_("Group by standard, content, project or region."), field="group_by")
    return value


def parse_week(value) -> date | None:
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(value))
        validate_calendar_day(day)
    except (ValueError, ValidationError):
        raise DomainError(_("Enter the week as a date (YYYY-MM-DD)."), field="week") from None
    return selectors.monday(day)


def parse_region(value, user):
    """A street the user may see, or a 400."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    ids = selectors.region_ids_for(user)
    region = Region.objects.filter(pk=number, level=Region.Level.STREET).first() if 0 < number < 2**31 else None
    if region is None or (ids is not None and region.pk not in ids):
        raise DomainError(_("Choose a street you can see."), field="region")
    return region


class ReadinessView(APIView):
    """The predicted evaluation score (测评得分预估) over what you can see.

    `totals` (`points` possible, predicted `score`, `points_at_risk` = points − score, `share`, and `parts`: the
    points at risk per collection method) and `results` grouped by `group_by` (standard — the default —, content,
    project or region: the streets), most points at risk first; a standard's row has its `parts` per method with
    the `share`, its `source` (evidence, city, input, estimate, none) and `n` behind it. Computed now from the
    evidence; with `week` (any day of it), the kept weekly snapshot. `region` narrows to one street.
    How every number is computed: docs/readiness.md."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(API_GROUPS)),
            OpenApiParameter("week", OpenApiTypes.DATE),
            OpenApiParameter("region", OpenApiTypes.INT),
        ],
        responses=inline_serializer(
            "Readiness",
            {
                "group_by": serializers.CharField(),
                "as_of": serializers.DateField(),
                "week": serializers.DateField(allow_null=True),
                "totals": ReadinessTotalsSerializer(),
                "results": ReadinessRowSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        group_by = parse_group_by(request.query_params.get("group_by"))
        week = parse_week(request.query_params.get("week"))
        region = parse_region(request.query_params.get("region"), request.user)
        if week is not None:
            return Response(selectors.snapshot_api(request.user, week=week, group_by=group_by, region=region))
        return Response(selectors.readiness_api(request.user, group_by=group_by, region=region))
