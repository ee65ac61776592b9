"""Serializers of completeness (the figures' shape for the schema) and of packages."""

from django.urls import reverse
from rest_framework import serializers

from evaluation.models import MaterialPackage


class CompletenessTotalsSerializer(serializers.Serializer):
    required = serializers.IntegerField()
    submitted = serializers.IntegerField()
    accepted = serializers.IntegerField()
    returned = serializers.IntegerField()
    overdue = serializers.IntegerField()
    late = serializers.IntegerField()
    points_at_risk = serializers.FloatField()
    accepted_rate = serializers.FloatField(allow_null=True)


class CompletenessRowSerializer(CompletenessTotalsSerializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.FloatField(required=False, allow_null=True, help_text="group_by=standard: its points")


class MaterialPackageSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = MaterialPackage
        fields = [
            "id",
            "status",
            "files_total",
            "files_done",
            "size",
            "error",
            "created_by",
            "created_at",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, obj) -> str | None:
        return reverse("media", args=[obj.file.name]) if obj.file else None
