"""The responsibility list in the API (CONTRACT.md "Evaluation API": `standard`, `method`, `points`, `lead_unit`,
`units`, `task`, `deadline`)."""

from rest_framework import serializers

from campaign.models import Unit
from core.inputs import validate_calendar_day
from evaluation.models import EvaluationItem, Method, Responsibility


class ResponsibilitySerializer(serializers.ModelSerializer):
    standard = serializers.PrimaryKeyRelatedField(
        queryset=EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD)
    )
    standard_code = serializers.CharField(source="standard.code", read_only=True)
    standard_text = serializers.CharField(source="standard.text", read_only=True)
    method = serializers.ChoiceField(choices=Method.choices)
    points = serializers.DecimalField(
        source="standard.max_score", max_digits=6, decimal_places=2, read_only=True, allow_null=True
    )
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    task = serializers.CharField(max_length=2000)
    deadline = serializers.DateField(required=False, allow_null=True, validators=[validate_calendar_day])
    is_done = serializers.BooleanField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    is_due_soon = serializers.BooleanField(read_only=True)
    material_required = serializers.IntegerField(read_only=True)
    material_accepted = serializers.IntegerField(read_only=True)

    class Meta:
        model = Responsibility
        fields = [
            "id",
            "standard",
            "standard_code",
            "standard_text",
            "method",
            "points",
            "lead_unit",
            "lead_unit_name",
            "units",
            "task",
            "deadline",
            "done_at",
            "is_done",
            "is_overdue",
            "is_due_soon",
            "material_required",
            "material_accepted",
        ]
        read_only_fields = ["done_at"]
