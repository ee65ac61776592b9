"""The API's viewsets from one base (DRF's generic viewsets): the standard paginator and the FilterSet come from the
settings and `filterset_class`; the rows are the visible ones (`core.registry.visible_to(model, user)`, or the app's
visibility function until the model is registered) shaped by `shape(queryset)`; a create or an update is one service
call (`create_service`, `update_service`), and the answer is the row read back through the same visible queryset."""

from rest_framework import mixins, viewsets

from core.api.pagination import StandardPagination
from core.views_base import visible_rows


class ScopedViewSet(viewsets.GenericViewSet):
    """Name `model`, `serializer_class`, `filterset_class`; `visible` (a function of the user) until the model is
    registered; `shape(queryset)` for select_related/prefetch/annotations and the order."""

    model = None
    visible = None
    selector = None  # or the app's list selector, `selector(user=)`: the visible rows already shaped
    pagination_class = StandardPagination

    def shape(self, queryset):
        return queryset

    def get_queryset(self):
        if self.selector is not None:  # the list selector's rows, with what only the API needs (shape)
            return self.shape(self.selector(user=self.request.user))
        return self.shape(visible_rows(self.model, self.request.user, self.visible))


class ServiceWritesMixin:
    """POST/PUT/PATCH call one service: name it in `service_create(data)` and `service_update(instance, data)`
    (the services' keyword names differ per model). The row is read back through the visible queryset, so the
    answer carries the same annotations as the list."""

    def service_create(self, data):
        raise NotImplementedError

    def service_update(self, instance, data):
        raise NotImplementedError

    def perform_create(self, serializer):
        row = self.service_create(serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=row.pk)

    def perform_update(self, serializer):
        row = self.service_update(serializer.instance, serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=row.pk)


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass
