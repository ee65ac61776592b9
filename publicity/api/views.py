"""The publicity API. Lists use the same visibility rule and FilterSets as the pages; writes call the services."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import OfficeWritesInScope
from core.api.viewsets import ReadOnlyScopedViewSet, ServiceWritesMixin
from core.exceptions import NotInScope
from core.periods import parse_period
from publicity import selectors, services
from publicity.filtersets import AssetCheckFilterSet, AssetFilterSet, PostFilterSet
from publicity.models import AssetCheck

from . import serializers as s


class AssetViewSet(ServiceWritesMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    """Publicity assets the user may see (a unit liaison: only their unit's). Office staff add them (POST) and
    change their description (PATCH, or PUT: fields left out keep their value); `condition`, `last_checked_at`
    and `open_ticket` are read-only, set by look-back checks and the closing of tickets."""

    serializer_class = s.AssetSerializer
    filterset_class = AssetFilterSet
    permission_classes = [permissions.IsAuthenticated, OfficeWritesInScope]
    selector = staticmethod(selectors.asset_list)

    def service_create(self, data):
        return services.asset_create(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.asset_update(actor=self.request.user, asset=instance, **data)


class AssetCheckViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Look-back checks. POST `asset`, `condition`, `note`, optional multipart `photos`; a bad condition raises a
    ticket (or joins the asset's open one)."""

    serializer_class = s.AssetCheckSerializer
    filterset_class = AssetCheckFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    model = AssetCheck

    def shape(self, queryset):
        return (
            queryset.select_related("asset", "checked_by", "ticket")
            .prefetch_related("photos")
            .order_by("-checked_at", "-id")
        )

    @extend_schema(request=s.AssetCheckInputSerializer, responses={201: s.AssetCheckSerializer})
    def create(self, request, *args, **kwargs):
        data = s.AssetCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            asset = selectors.asset_get_for(user=request.user, pk=data.validated_data["asset"])
        except NotInScope:
            return Response({"asset": [str(_not_found())]}, status=status.HTTP_400_BAD_REQUEST)
        check = services.asset_check_record(
            actor=request.user,
            asset=asset,
            condition=data.validated_data["condition"],
            note=data.validated_data["note"],
            photos=data.validated_data["photos"],
        )
        check = self.get_queryset().get(pk=check.pk)
        return Response(
            s.AssetCheckSerializer(check, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


def _not_found():
    from django.utils.translation import gettext as _

    return _("No asset with this id that you may check.")


class PostViewSet(ServiceWritesMixin, mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    serializer_class = s.PostSerializer
    filterset_class = PostFilterSet
    selector = staticmethod(selectors.post_list)

    def service_create(self, data):
        return services.post_create(actor=self.request.user, **data)


class PublicityFiguresView(APIView):
    """Assets by type, region and condition; checks, problems and tickets; posts, printed materials, events."""

    @extend_schema(parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)], responses=dict)
    def get(self, request):
        start, end = parse_period(request)
        return Response(selectors.publicity_figures(user=request.user, start=start, end=end))
