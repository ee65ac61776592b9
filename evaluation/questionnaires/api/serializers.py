"""Questionnaires and survey rounds in the API (CONTRACT.md "Evaluation API": `survey-rounds/`, questionnaire
rounds with their quotas)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.inputs import validate_calendar_day
from evaluation.models import Question, Questionnaire, QuestionOption, SurveyQuota, SurveyRound

from ..selectors import surveyor_choices


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionOption
        fields = ["code", "text", "is_positive"]


class QuestionSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)
    standards = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = [
            "id",
            "number",
            "text",
            "kind",
            "rate",
            "standards",
            "positive_min_rating",
            "positive_answer",
            "target",
            "is_required",
            "options",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_standards(self, question) -> list[str]:
        return [s.code for s in question.standards.all()]


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "code", "title", "group", "intro", "is_active", "questions"]


class QuotaSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    surveyor_name = serializers.CharField(source="surveyor.username", read_only=True, allow_null=True)
    done = serializers.IntegerField(read_only=True)

    class Meta:
        model = SurveyQuota
        fields = ["id", "region", "region_name", "group", "target", "surveyor", "surveyor_name", "done"]


class SurveyRoundSerializer(serializers.ModelSerializer):
    """A round with its quotas and their progress (`done`: counted responses of the quota's area and group)."""

    start_date = serializers.DateField(validators=[validate_calendar_day])
    end_date = serializers.DateField(validators=[validate_calendar_day])
    questionnaires = serializers.PrimaryKeyRelatedField(queryset=Questionnaire.objects.all(), many=True)
    surveyors = serializers.PrimaryKeyRelatedField(queryset=surveyor_choices(), many=True, required=False)
    source_weights = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100), required=False)
    min_seconds = serializers.IntegerField(min_value=0, max_value=24 * 3600, required=False)
    area_radius_m = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    quotas = serializers.SerializerMethodField()
    responses_counted = serializers.IntegerField(read_only=True)
    quota_target = serializers.IntegerField(read_only=True)
    public_link = serializers.SerializerMethodField()

    class Meta:
        model = SurveyRound
        fields = [
            "id",
            "name",
            "start_date",
            "end_date",
            "status",
            "questionnaires",
            "surveyors",
            "source_weights",
            "min_seconds",
            "area_radius_m",
            "public_link",
            "responses_counted",
            "quota_target",
            "quotas",
        ]
        read_only_fields = ["status"]

    @extend_schema_field(QuotaSerializer(many=True))
    def get_quotas(self, survey_round):
        return QuotaSerializer(getattr(survey_round, "quota_rows", []), many=True).data

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_public_link(self, survey_round) -> str | None:
        from ..selectors import public_link

        request = self.context.get("request")
        return public_link(request, survey_round) if request is not None else None
