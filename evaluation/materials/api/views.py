"""API of material review (under /api/v1/): `material-requirements/` (read) and `material-submissions/` (a unit's
evidence: POST multipart `standard`, `note`, `files`; actions submit, accept, return).

Refusals are mapped once by core.api.exceptions: out of scope 404, a role that may not 403, a state that does not
allow it 409, invalid input 400 with field messages; scope, role and state are answered before the input is read."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet
from core.exceptions import NotInScope
from evaluation.materials import selectors, services
from evaluation.materials.filtersets import MaterialRequirementFilterSet, MaterialSubmissionFilterSet
from evaluation.models import MaterialFile, MaterialRequirement, MaterialSubmission

from .serializers import (
    MaterialEventSerializer,
    MaterialNoteSerializer,
    MaterialReasonSerializer,
    MaterialRequirementSerializer,
    MaterialSubmissionCreateSerializer,
    MaterialSubmissionSerializer,
)

# A create that names a standard which is not the unit's answers 404 (CONTRACT: out of scope is 404), on a path
# without an id: documented here, with the body every refusal has (core.api.schema).
NOT_YOURS = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}


class MaterialRequirementViewSet(ReadOnlyScopedViewSet):
    """What must be submitted for each standard checked by material (the ones the user may see). Filters: standard,
    project, kind, unit, due_after, due_before, q."""

    model = MaterialRequirement
    serializer_class = MaterialRequirementSerializer
    filterset_class = MaterialRequirementFilterSet

    def shape(self, queryset):
        return queryset.select_related("standard").prefetch_related("units").order_by("due_date", "id")


class MaterialSubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Material submissions, one row per version (the ones the user may see; 404 for any other). Filters: status
    (repeatable), requirement, standard, unit, current, late, overdue."""

    model = MaterialSubmission
    serializer_class = MaterialSubmissionSerializer
    filterset_class = MaterialSubmissionFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def shape(self, queryset):
        return (
            queryset.select_related("requirement", "unit")
            .prefetch_related(Prefetch("files", queryset=MaterialFile.objects.order_by("id")))
            .order_by("-created_at", "-id")
        )

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except MaterialSubmission.DoesNotExist:
            raise NotInScope(selectors.not_found_message()) from None

    def _answer(self, submission, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=submission.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        request={"multipart/form-data": MaterialSubmissionCreateSerializer},
        responses={
            201: MaterialSubmissionSerializer,
            404: OpenApiResponse(
                response=NOT_YOURS, description="The standard has no requirement your unit submits (or none you see)"
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        """A unit's evidence for a standard: its requirement for that standard is found (name `requirement` when the
        standard has several for the unit). A draft; while the current version is a draft the files join it; after
        a return this starts the next version. Then POST `{id}/submit/`."""
        data = MaterialSubmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        requirement = services.requirement_for_unit(
            actor=request.user, standard_id=values["standard"], requirement_id=values.get("requirement")
        )
        submission = services.submission_create(
            actor=request.user, requirement=requirement, note=values["note"], files=request.FILES.getlist("files")
        )
        return self._answer(submission, status.HTTP_201_CREATED)

    def _transition(self, request, action_name, serializer_class, call):
        submission = self.get_object()
        refusal = selectors.submission_action_refusal(user=request.user, submission=submission, action=action_name)
        if refusal:  # scope, role and state are answered before the input is looked at
            error, message = refusal
            raise error(message)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(call(submission, data.validated_data))

    @extend_schema(request=MaterialNoteSerializer, responses={200: MaterialSubmissionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Draft → submitted (at least one file). After the due date it is taken but marked late (`is_late`)."""
        return self._transition(
            request,
            "submit",
            MaterialNoteSerializer,
            lambda s, v: services.submission_submit(actor=request.user, submission=s, note=v["note"]),
        )

    @extend_schema(request=MaterialNoteSerializer, responses={200: MaterialSubmissionSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Submitted → accepted (the office or the material review group)."""
        return self._transition(
            request,
            "accept",
            MaterialNoteSerializer,
            lambda s, v: services.submission_accept(actor=request.user, submission=s, note=v["note"]),
        )

    @extend_schema(request=MaterialReasonSerializer, responses={200: MaterialSubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_submission(self, request, pk=None):
        """Submitted → returned with the `reason` (required)."""
        return self._transition(
            request,
            "return",
            MaterialReasonSerializer,
            lambda s, v: services.submission_return(actor=request.user, submission=s, reason=v["reason"]),
        )

    @extend_schema(responses=MaterialEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        """The version's whole history."""
        submission = self.get_object()
        return Response(MaterialEventSerializer(selectors.submission_events(submission), many=True).data)
