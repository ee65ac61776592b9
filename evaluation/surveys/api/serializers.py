"""Serializers of survey responses: the response with its answers, and the input of a submission."""

from rest_framework import serializers

from evaluation.models import RespondentGroup, SurveyAnswer, SurveyResponse

ID_MAX = 2**63 - 1


class SurveyAnswerSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="question.number", read_only=True)

    class Meta:
        model = SurveyAnswer
        fields = ["question", "number", "option_codes", "rating", "yes", "text", "positive"]
        read_only_fields = fields


class SurveyResponseSerializer(serializers.ModelSerializer):
    questionnaire_code = serializers.CharField(source="questionnaire.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    surveyor_name = serializers.CharField(source="surveyor.username", read_only=True, allow_null=True)
    answers = SurveyAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "round",
            "questionnaire",
            "questionnaire_code",
            "region",
            "region_name",
            "group",
            "source",
            "surveyor",
            "surveyor_name",
            "lat",
            "lng",
            "started_at",
            "submitted_at",
            "duration_seconds",
            "client_key",
            "too_fast",
            "duplicate",
            "outside_area",
            "quality",
            "answers",
        ]
        read_only_fields = fields


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    value = serializers.JSONField(
        allow_null=True,
        help_text='single: an option code ("A"); multiple: a list of codes; rating: 1–5; yes/no: true or false; '
        "text: a string.",
    )


class SurveyResponseCreateSerializer(serializers.Serializer):
    """A filled questionnaire. A surveyor (session or token) sends it as an interview (or fieldworker scoring); anyone
    may send it to a round's public link by giving `token` (the round's public link key) instead of signing in."""

    token = serializers.CharField(required=False, allow_blank=True, max_length=64)
    round = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    questionnaire = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    region = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    group = serializers.ChoiceField(choices=RespondentGroup.choices, required=False, allow_blank=True)
    source = serializers.ChoiceField(
        choices=[SurveyResponse.Source.INTERVIEW, SurveyResponse.Source.FIELDWORKER], required=False, allow_blank=True
    )
    answers = AnswerInputSerializer(many=True, allow_empty=False, max_length=500)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    finished_at = serializers.DateTimeField(required=False, allow_null=True)
    device = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    client_key = serializers.CharField(required=False, allow_blank=True, max_length=64)


class EmptySerializer(serializers.Serializer):
    pass
