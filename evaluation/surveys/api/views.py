"""API of survey responses (under /api/v1/): `survey-responses/`.

GET: the office and the leader read every response, a surveyor their own (404 for any other). POST: a surveyor
(session or token) sends an interview; anyone sends a self-fill to a round's public link by giving `token` (the
round's public link key) instead of signing in (rate-limited per address: 429). An offline retry with the same
`client_key` answers 200 with the response saved the first time (201 when it is new). Actions `{id}/accept/` and
`{id}/reject/` (the office; 409 when the state does not allow it)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from campaign.models import Region
from core import ratelimit
from core.api.viewsets import ScopedViewSet
from core.exceptions import NotInScope
from evaluation.models import Questionnaire, SurveyAnswer, SurveyResponse, SurveyRound
from evaluation.surveys import services
from evaluation.surveys.filtersets import SurveyResponseFilterSet

from .serializers import EmptySerializer, SurveyResponseCreateSerializer, SurveyResponseSerializer

PUBLIC_RATE_PER_ADDRESS = getattr(settings, "SURVEY_PUBLIC_RATE_PER_ADDRESS", 30)
PUBLIC_RATE_WINDOW = getattr(settings, "SURVEY_PUBLIC_RATE_WINDOW", 600)

ERROR = inline_serializer("SurveyError", fields={"detail": serializers.CharField()})


def public_allowed(request) -> bool:
    """One attempt on the public link from this address (shared by the page and the API)."""
    return ratelimit.allow(
        f"survey-public:ip:{ratelimit.client_ip(request)}", limit=PUBLIC_RATE_PER_ADDRESS, window=PUBLIC_RATE_WINDOW
    )


def too_many_message() -> str:
    return _("Too many responses from this address. Wait a few minutes and try again.")


class SurveyResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Survey responses with their answers (the ones the user may see). Filters: round, questionnaire, region, group,
    source, quality, reason (too_fast, duplicate, outside_area, any)."""

    model = SurveyResponse
    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilterSet

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return [IsAuthenticated()]

    def shape(self, queryset):
        return (
            queryset.select_related("questionnaire", "region", "surveyor")
            .prefetch_related(
                Prefetch(
                    "answers", queryset=SurveyAnswer.objects.select_related("question").order_by("question__number")
                )
            )
            .order_by("-submitted_at", "-id")
        )

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except SurveyResponse.DoesNotExist:
            raise NotInScope(_("Response not found.")) from None

    def _answer(self, response, code=status.HTTP_200_OK):
        data = SurveyResponseSerializer(
            SurveyResponse.objects.filter(pk=response.pk)
            .prefetch_related("answers__question")
            .select_related("questionnaire", "region", "surveyor")[0],
            context={"request": self.request},
        ).data
        return Response(data, status=code)

    @extend_schema(
        request=SurveyResponseCreateSerializer,
        responses={
            201: SurveyResponseSerializer,
            200: SurveyResponseSerializer,
            404: OpenApiResponse(ERROR, description="No such round (or public link)"),
            409: OpenApiResponse(
                ERROR, description="The round is not open, or this device or phone already answered its public link"
            ),
            429: OpenApiResponse(ERROR, description="Too many responses from this address"),
        },
    )
    def create(self, request, *args, **kwargs):
        """Send one filled questionnaire. Answers: `[{"question": id, "value": …}]` (an option code, a list of
        codes, a rating 1–5, true/false, or text). With `token`: a public self-fill (no account; `device` and
        `phone` make it one per device and per phone). Otherwise a signed-in surveyor's interview in `round`."""
        token = request.data.get("token") if hasattr(request.data, "get") else None
        public = isinstance(token, str) and bool(token)
        if public and not public_allowed(request):
            raise Throttled(detail=too_many_message())
        if not public and not request.user.is_authenticated:
            raise NotAuthenticated()
        data = SurveyResponseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if public:
            round = SurveyRound.objects.filter(public_token=values["token"]).first()
            actor = services.PUBLIC
        else:
            if not values.get("round"):
                raise ValidationError({"round": _("Choose the survey round.")})
            round = SurveyRound.objects.filter(pk=values["round"]).first()
            actor = request.user
        if round is None:
            raise NotInScope(_("Survey round not found."))
        questionnaire = Questionnaire.objects.filter(pk=values["questionnaire"]).first()
        if questionnaire is None:
            raise ValidationError({"questionnaire": _("This questionnaire is not used in this survey round.")})
        region = Region.objects.filter(pk=values["region"]).first()
        if region is None:
            raise ValidationError({"region": _("Choose one of the areas of this survey round.")})
        response = services.response_submit(
            actor_or_public=actor,
            round=round,
            questionnaire=questionnaire,
            region=region,
            group=values.get("group") or "",
            source=values.get("source") or "",
            answers=[dict(a) for a in values["answers"]],
            lat=values.get("lat"),
            lng=values.get("lng"),
            started_at=values.get("started_at"),
            finished_at=values.get("finished_at"),
            device=values.get("device", ""),
            phone=values.get("phone", ""),
            client_key=values.get("client_key", ""),
        )
        return self._answer(response, status.HTTP_201_CREATED if response.created_now else status.HTTP_200_OK)

    @extend_schema(request=EmptySerializer, responses={200: SurveyResponseSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Flagged → accepted by the office: the response counts in the rates."""
        return self._answer(services.response_accept(actor=request.user, response=self.get_object()))

    @extend_schema(request=EmptySerializer, responses={200: SurveyResponseSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Flagged (or valid) → rejected by the office: the response leaves the rates."""
        return self._answer(services.response_reject(actor=request.user, response=self.get_object()))
