"""API of the evaluation (under /api/v1/)."""

from django.db.models import Prefetch

from core.api.viewsets import ReadOnlyScopedViewSet
from evaluation.filtersets import EvaluationItemFilterSet
from evaluation.models import EvaluationItem, StandardMethod

from .serializers import EvaluationItemSerializer


class EvaluationItemViewSet(ReadOnlyScopedViewSet):
    """The evaluation system (测评体系): projects, contents and standards with their methods and points. Filter with
    `level`, `parent`, `method`."""

    model = EvaluationItem
    serializer_class = EvaluationItemSerializer
    filterset_class = EvaluationItemFilterSet

    def shape(self, queryset):
        return queryset.prefetch_related(
            "site_types", Prefetch("methods", queryset=StandardMethod.objects.order_by("method"))
        ).order_by("sort_order", "code")
