"""The responsibility list API (`responsibilities/`): everyone reads the duties they may see; the office writes,
through the services (a leader or a unit: 403; a duty out of scope: 404)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import OfficeWritesInScope
from core.api.viewsets import ReadOnlyScopedViewSet, ServiceWritesMixin
from evaluation.models import Responsibility
from evaluation.responsibilities import selectors, services
from evaluation.responsibilities.filtersets import ResponsibilityFilterSet

from .serializers import ResponsibilitySerializer

FIELDS = ("standard", "lead_unit", "units", "task", "method", "deadline")


class ResponsibilityViewSet(
    ServiceWritesMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ReadOnlyScopedViewSet,
):
    """The responsibility list (责任清单): for each standard the lead unit, the responsible units, the task, the method
    and the deadline. Filter `unit` (lead or responsible), `project`, `content`, `method`, `overdue`, `done`, `q`.
    POST/PUT/PATCH/DELETE and the actions `done` (销号) and `reopen`: the campaign office only."""

    model = Responsibility
    serializer_class = ResponsibilitySerializer
    filterset_class = ResponsibilityFilterSet
    selector = staticmethod(selectors.responsibility_list)
    permission_classes = [OfficeWritesInScope]

    def service_create(self, data):
        return services.responsibility_create(actor=self.request.user, **data)

    def service_update(self, duty, data):
        current = {
            "standard": duty.standard,
            "lead_unit": duty.lead_unit,
            "units": list(duty.units.all()),
            "task": duty.task,
            "method": duty.method,
            "deadline": duty.deadline,
        }
        current.update({k: v for k, v in data.items() if k in FIELDS})
        return services.responsibility_update(actor=self.request.user, responsibility=duty, **current)

    def perform_destroy(self, instance):
        services.responsibility_delete(actor=self.request.user, responsibility=instance)

    def _answer(self, duty):
        return Response(self.get_serializer(self.get_queryset().get(pk=duty.pk)).data)

    @extend_schema(request=None, responses=ResponsibilitySerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """销号: mark the duty done (409 when it already is)."""
        return self._answer(services.responsibility_mark_done(actor=request.user, responsibility=self.get_object()))

    @extend_schema(request=None, responses=ResponsibilitySerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a duty marked done again (409 when it is open)."""
        return self._answer(services.responsibility_reopen(actor=request.user, responsibility=self.get_object()))
