"""Tickets API: list/create/retrieve, history, one POST per transition, figures and the map's GeoJSON.

Views parse input, call one service or selector, and shape the answer; errors are mapped once by
core.api.exceptions (404 outside scope, 403 role, 409 state, 400 field messages, in the request's language)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import ScopedViewSet
from core.exceptions import DomainError
from core.inputs import validate_calendar_day
from inspections.models import Ticket, TicketPhoto
from inspections.tickets import selectors, services
from inspections.tickets.filtersets import TicketFilterSet

from .serializers import (
    DecisionSerializer,
    DispatchSerializer,
    ExtendSerializer,
    NoteSerializer,
    ReasonSerializer,
    SubmitSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketEventSerializer,
    TicketSerializer,
)

MAP_TICKETS_LIMIT = 2000


TICKET_BRIEF_SCHEMA = {
    "type": "object",
    "required": ["id", "number", "status"],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": "string"},
        "status": {"$ref": "#/components/schemas/TicketStatusEnum"},
    },
}
TICKET_AFTER_ACTION = {"anyOf": [{"$ref": "#/components/schemas/TicketDetail"}, TICKET_BRIEF_SCHEMA]}


DEFAULT_SOURCE = {
    "office": Ticket.Source.OFFICE,
    "supervisor": Ticket.Source.PATROL,
    "unit": Ticket.Source.SELF_INSPECTION,
    "leader": Ticket.Source.LEADER,
}


# --- views ---------------------------------------------------------------------------------------


def _photos(request):
    return request.FILES.getlist("photos") if hasattr(request, "FILES") else []


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Problem tickets the signed-in user may see (404 for any other). Filters: status (repeatable), unit,
    region (with its sub-regions), site, category, source, overdue=true, created_after, created_before, q."""

    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    selector = staticmethod(selectors.ticket_list)  # the visible tickets (core.registry), overdue flag, names

    def shape(self, queryset):
        return queryset.prefetch_related(Prefetch("photos", queryset=TicketPhoto.objects.order_by("created_at", "id")))

    # One ticket: ignores the list's filters and answers "Ticket not found." (404) outside scope; the actions'
    # refusals and answers (`_answer`) read through the same selectors. Create and the transitions are one service
    # call each, answered with the ticket's detail read back, or its number and status if the user no longer sees
    # it (so not ServiceWritesMixin, whose answer is the input serializer's row from the list queryset).
    def get_object(self):
        ticket = selectors.ticket_get_for(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, ticket)
        return ticket

    def get_serializer_class(self):
        if self.action == "create":
            return TicketCreateSerializer
        if self.action == "retrieve":
            return TicketDetailSerializer
        return TicketSerializer

    def _answer(self, ticket, code=status.HTTP_200_OK):
        fresh = (
            selectors.ticket_get_for(user=self.request.user, pk=ticket.pk)
            if selectors.ticket_is_visible(user=self.request.user, ticket=ticket)
            else None
        )
        if fresh is None:  # e.g. a unit that returned the ticket no longer sees it
            return Response({"id": ticket.pk, "number": ticket.number, "status": ticket.status}, status=code)
        return Response(TicketDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=TicketCreateSerializer, responses={201: TICKET_AFTER_ACTION})
    def create(self, request, *args, **kwargs):
        data = TicketCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("photos", None)
        values.setdefault("source", DEFAULT_SOURCE.get(request.user.role, Ticket.Source.OFFICE))
        ticket = services.ticket_report(actor=request.user, photos=_photos(request), **values)
        return self._answer(ticket, status.HTTP_201_CREATED)

    @extend_schema(responses=TicketEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])  # the whole history
    def events(self, request, pk=None):
        ticket = self.get_object()
        return Response(
            TicketEventSerializer(
                selectors.ticket_events(ticket=ticket), many=True, context=self.get_serializer_context()
            ).data
        )

    def _transition(self, request, action_name, serializer_class, call):
        ticket = self.get_object()
        refusal = selectors.ticket_action_refusal(user=request.user, ticket=ticket, action=action_name)
        if refusal:  # scope, role and state are answered before the input is looked at
            error, message = refusal
            raise error(message)
        values = {}
        if serializer_class:
            data = serializer_class(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            values.pop("photos", None)
        result = call(ticket, values)
        return self._answer(result if isinstance(result, Ticket) else ticket)

    @extend_schema(request=NoteSerializer, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request, pk=None):
        return self._transition(
            request, "file", NoteSerializer, lambda t, v: services.ticket_file(actor=request.user, ticket=t, **v)
        )

    @extend_schema(request=DispatchSerializer, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_ticket(self, request, pk=None):  # `dispatch` is taken by the view machinery
        return self._transition(
            request,
            "dispatch",
            DispatchSerializer,
            lambda t, v: services.ticket_dispatch(actor=request.user, ticket=t, **v),
        )

    @extend_schema(request=None, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._transition(request, "sign", None, lambda t, v: services.ticket_sign(actor=request.user, ticket=t))

    @extend_schema(request=ReasonSerializer, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_ticket(self, request, pk=None):
        return self._transition(
            request, "return", ReasonSerializer, lambda t, v: services.ticket_return(actor=request.user, ticket=t, **v)
        )

    @extend_schema(request={"multipart/form-data": SubmitSerializer}, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(
            request,
            "submit",
            SubmitSerializer,
            lambda t, v: services.ticket_submit(actor=request.user, ticket=t, photos=_photos(request), **v),
        )

    @extend_schema(request=DecisionSerializer, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._transition(
            request,
            "verify",
            DecisionSerializer,
            lambda t, v: services.ticket_verify(actor=request.user, ticket=t, **v),
        )

    @extend_schema(request=ExtendSerializer, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._transition(
            request,
            "extend",
            ExtendSerializer,
            lambda t, v: services.ticket_request_extension(actor=request.user, ticket=t, **v),
        )

    @extend_schema(request=DecisionSerializer, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        return self._transition(
            request,
            "decide-extension",
            DecisionSerializer,
            lambda t, v: services.ticket_decide_extension(actor=request.user, ticket=t, **v),
        )

    @extend_schema(request=ReasonSerializer, responses={200: TICKET_AFTER_ACTION})
    @action(detail=True, methods=["post"])
    def invalidate(self, request, pk=None):
        return self._transition(
            request,
            "invalidate",
            ReasonSerializer,
            lambda t, v: services.ticket_invalidate(actor=request.user, ticket=t, **v),
        )


def _date_param(request, name):
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_date(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise DomainError(_("Enter a date as YYYY-MM-DD."), field=name)
    try:
        validate_calendar_day(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field=name) from None
    return value


class TicketStatsView(APIView):
    """Figures of the tickets you can see: found, closed, rectification_rate, on_time_rate, overdue_open,
    rework_rate, recurrence_rate, extension_rate, median_days_to_close. Rates are fractions 0–1.

    Without group_by: `totals`. With group_by (unit, region = by street/town, category, site_type): `results`,
    one row per group with `id` and `name`; add totals=true to get `totals` as well. start/end: the period
    (inclusive dates) in which the tickets were reported."""

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=["unit", "region", "category", "site_type"]),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("totals", OpenApiTypes.BOOL),
        ],
        responses=inline_serializer(
            "TicketStats",
            {
                "group_by": serializers.CharField(allow_null=True),
                "start": serializers.DateField(allow_null=True),
                "end": serializers.DateField(allow_null=True),
                "totals": serializers.DictField(allow_null=True),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        group_by = request.query_params.get("group_by") or None
        if group_by not in (None, "unit", "region", "category", "site_type"):
            raise DomainError(_("Group by unit, region, category or site_type."), field="group_by")
        start, end = _date_param(request, "start"), _date_param(request, "end")
        if start and end and start > end:
            raise DomainError(_("The start date must not be after the end date."), field="start")
        # Each figure set is one pass over the tickets: a grouped request computes the totals too only when
        # asked (totals=true), so the common case costs one query.
        with_totals = not group_by or request.query_params.get("totals") in ("true", "1")
        totals = selectors.ticket_stats(user=request.user, start=start, end=end) if with_totals else None
        results = selectors.ticket_stats(user=request.user, group_by=group_by, start=start, end=end) if group_by else []
        return Response({"group_by": group_by, "start": start, "end": end, "totals": totals, "results": results})


def _bbox(request):
    try:
        return selectors.parse_bbox(request.query_params.get("bbox"))
    except ValueError:
        raise DomainError(_("bbox must be minlng,minlat,maxlng,maxlat."), field="bbox") from None


GEOJSON_SCHEMA = inline_serializer(
    "FeatureCollection",
    {
        "type": serializers.CharField(),
        "features": serializers.ListField(child=serializers.DictField()),
    },
)


class SiteMapView(APIView):
    """Sites as GeoJSON points, each with `open` and `overdue` ticket counts (tickets you can see)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", OpenApiTypes.STR),
            OpenApiParameter("region", OpenApiTypes.INT),
            OpenApiParameter("category", OpenApiTypes.INT),
        ],
        responses=GEOJSON_SCHEMA,
    )
    def get(self, request):
        filterset = TicketFilterSet(
            {k: request.query_params[k] for k in ("region", "category") if request.query_params.get(k)},
            queryset=Ticket.objects.none(),
        )
        if not filterset.is_valid():
            from django.core.exceptions import ValidationError

            raise ValidationError(filterset.errors)
        sites = selectors.map_sites(
            user=request.user,
            bbox=_bbox(request),
            region=filterset.form.cleaned_data.get("region"),
            category=filterset.form.cleaned_data.get("category"),
        ).values("id", "name", "code", "lat", "lng", "is_key", "site_type__name", "open_count", "overdue_count")
        features = [
            {
                "type": "Feature",
                "id": s["id"],
                "geometry": {"type": "Point", "coordinates": [s["lng"], s["lat"]]},
                "properties": {
                    "id": s["id"],
                    "name": s["name"],
                    "code": s["code"],
                    "site_type": s["site_type__name"],
                    "is_key": s["is_key"],
                    "open": s["open_count"],
                    "overdue": s["overdue_count"],
                },
            }
            for s in sites
        ]
        return Response({"type": "FeatureCollection", "features": features})


class TicketMapView(APIView):
    """Tickets as GeoJSON points (open ones unless `status` is given; the ticket filters apply), newest first,
    at most 2,000 (`truncated` says when more matched)."""

    @extend_schema(parameters=[OpenApiParameter("bbox", OpenApiTypes.STR)], responses=GEOJSON_SCHEMA)
    def get(self, request):
        filterset = TicketFilterSet(request.query_params, queryset=Ticket.objects.none())
        if not filterset.is_valid():
            from django.core.exceptions import ValidationError

            raise ValidationError(filterset.errors)
        tickets = selectors.map_tickets(user=request.user, bbox=_bbox(request), filters=request.query_params)
        rows = list(
            tickets.values(
                "id",
                "number",
                "status",
                "severity",
                "map_lat",
                "map_lng",
                "is_overdue",
                "escalation",
                "category__name",
                "site_id",
                "site__name",
                "unit__name",
                "deadline",
            )[: MAP_TICKETS_LIMIT + 1]
        )
        truncated = len(rows) > MAP_TICKETS_LIMIT
        statuses = dict(Ticket.Status.choices)
        features = [
            {
                "type": "Feature",
                "id": t["id"],
                "geometry": {"type": "Point", "coordinates": [t["map_lng"], t["map_lat"]]},
                "properties": {
                    "id": t["id"],
                    "number": t["number"],
                    "status": t["status"],
                    "status_display": str(statuses[t["status"]]),
                    "severity": t["severity"],
                    "is_overdue": t["is_overdue"],
                    "escalation": t["escalation"],
                    "category": t["category__name"],
                    "site": t["site_id"],
                    "site_name": t["site__name"],
                    "unit_name": t["unit__name"],
                    "deadline": t["deadline"],
                },
            }
            for t in rows[:MAP_TICKETS_LIMIT]
        ]
        return Response({"type": "FeatureCollection", "features": features, "truncated": truncated})
