"""API of questionnaires (`questionnaires/`, read: questions and options) and survey rounds (`survey-rounds/`: every
signed-in user reads, with quotas and progress; the office creates, updates, opens, closes and turns the public link
on or off through the services: a leader 403, a state that does not allow it 409)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import OfficeWritesInScope
from core.api.viewsets import ReadOnlyScopedViewSet, ServiceWritesMixin
from evaluation.models import Questionnaire, SurveyRound
from evaluation.questionnaires import selectors, services
from evaluation.questionnaires.filtersets import QuestionnaireFilterSet, SurveyRoundFilterSet

from .serializers import QuestionnaireSerializer, SurveyRoundSerializer

FIELDS = (
    "name",
    "start_date",
    "end_date",
    "questionnaires",
    "surveyors",
    "source_weights",
    "min_seconds",
    "area_radius_m",
)


class QuestionnaireViewSet(ReadOnlyScopedViewSet):
    """The questionnaire versions with their questions (kind, rate, standards, positive rule, target) and options.
    Filters: group, is_active, q."""

    model = Questionnaire
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilterSet
    selector = staticmethod(selectors.questionnaire_detail)

    def shape(self, queryset):
        return queryset.order_by("code")


class PublicLinkSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()


class SurveyRoundViewSet(ServiceWritesMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    """Survey rounds with their quotas (area, group, target, surveyor, `done`). Filters: status, mine, q.
    POST/PUT/PATCH and the actions `open`, `close`, `public-link`: the campaign office only."""

    model = SurveyRound
    serializer_class = SurveyRoundSerializer
    filterset_class = SurveyRoundFilterSet
    selector = staticmethod(selectors.round_detail)
    permission_classes = [OfficeWritesInScope]

    def service_create(self, data):
        return services.round_create(actor=self.request.user, **data)

    def service_update(self, survey_round, data):
        current = {
            "name": survey_round.name,
            "start_date": survey_round.start_date,
            "end_date": survey_round.end_date,
            "questionnaires": list(survey_round.questionnaires.all()),
            "surveyors": list(survey_round.surveyors.all()),
            "source_weights": survey_round.source_weights,
            "min_seconds": survey_round.min_seconds,
            "area_radius_m": survey_round.area_radius_m,
        }
        current.update({k: v for k, v in data.items() if k in FIELDS})
        return services.round_update(actor=self.request.user, round=survey_round, **current)

    def _answer(self, survey_round):
        return Response(self.get_serializer(self.get_queryset().get(pk=survey_round.pk)).data)

    @extend_schema(request=None, responses=SurveyRoundSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the round (a draft, or a closed round again; 409 when it is open)."""
        return self._answer(services.round_open(actor=request.user, round=self.get_object()))

    @extend_schema(request=None, responses=SurveyRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the round: it accepts nothing more (409 unless it is open)."""
        return self._answer(services.round_close(actor=request.user, round=self.get_object()))

    @extend_schema(request=PublicLinkSerializer, responses=SurveyRoundSerializer)
    @action(detail=True, methods=["post"], url_path="public-link")
    def public_link(self, request, pk=None):
        """Turn the public self-fill link on (a new random key) or off (409 when it already is so)."""
        survey_round = self.get_object()
        body = PublicLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.round_public_link(actor=request.user, round=survey_round, enabled=body.validated_data["enabled"])
        )
