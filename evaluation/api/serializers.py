"""Serializers of the evaluation."""

from rest_framework import serializers

from evaluation.models import EvaluationItem


class EvaluationItemSerializer(serializers.ModelSerializer):
    site_types = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    methods = serializers.SerializerMethodField(help_text="The collection methods of a standard.")
    points = serializers.DecimalField(
        source="max_score", max_digits=6, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = EvaluationItem
        fields = ["id", "parent", "level", "code", "text", "methods", "points", "max_score", "sort_order", "site_types"]

    def get_methods(self, obj) -> list[str]:
        return [m.method for m in obj.methods.all()]
