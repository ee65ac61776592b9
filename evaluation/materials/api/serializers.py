"""Serializers of material review: requirements, submissions with their files, and the inputs of each action."""

from django.urls import reverse
from rest_framework import serializers

from evaluation.models import MaterialEvent, MaterialFile, MaterialRequirement, MaterialSubmission

ID_MAX = 2**63 - 1


class MaterialRequirementSerializer(serializers.ModelSerializer):
    standard_code = serializers.CharField(source="standard.code", read_only=True)
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = MaterialRequirement
        fields = [
            "id",
            "standard",
            "standard_code",
            "kind",
            "title",
            "description",
            "window_start",
            "window_end",
            "due_date",
            "units",
        ]
        read_only_fields = fields


class MaterialFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MaterialFile
        fields = ["id", "name", "kind", "size", "url", "uploaded_at"]
        read_only_fields = fields

    def get_url(self, row) -> str:
        path = reverse("media", args=[row.file.name])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MaterialEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)

    class Meta:
        model = MaterialEvent
        fields = ["id", "verb", "actor", "note", "created_at"]
        read_only_fields = fields


class MaterialSubmissionSerializer(serializers.ModelSerializer):
    standard = serializers.IntegerField(source="requirement.standard_id", read_only=True)
    requirement_title = serializers.CharField(source="requirement.title", read_only=True)
    due_date = serializers.DateField(source="requirement.due_date", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    files = MaterialFileSerializer(many=True, read_only=True)

    class Meta:
        model = MaterialSubmission
        fields = [
            "id",
            "requirement",
            "requirement_title",
            "standard",
            "unit",
            "unit_name",
            "version",
            "is_current",
            "status",
            "note",
            "is_late",
            "due_date",
            "return_reason",
            "created_at",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "escalation_level",
            "files",
        ]
        read_only_fields = fields


class MaterialSubmissionCreateSerializer(serializers.Serializer):
    standard = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="The evaluation standard.")
    requirement = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        help_text="The requirement, when the standard has several for the unit (then it is required).",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, max_length=500),
        required=False,
        default=list,
        help_text="PDF, Word (.docx), Excel (.xlsx), JPEG/PNG/WebP images; checked by content.",
    )


class MaterialNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class MaterialReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
