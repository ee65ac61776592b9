"""The shape of `readiness/` (for the schema)."""

from rest_framework import serializers


class ReadinessPartSerializer(serializers.Serializer):
    share = serializers.FloatField(required=False)
    source = serializers.CharField(required=False, help_text="evidence, city, input, estimate or none")
    n = serializers.IntegerField(required=False)
    points = serializers.FloatField(required=False)
    score = serializers.FloatField(required=False)
    points_at_risk = serializers.FloatField()


class ReadinessTotalsSerializer(serializers.Serializer):
    points = serializers.FloatField()
    score = serializers.FloatField()
    points_at_risk = serializers.FloatField()
    share = serializers.FloatField(allow_null=True)
    parts = serializers.DictField(child=ReadinessPartSerializer())


class ReadinessRowSerializer(ReadinessTotalsSerializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    no_evidence = serializers.BooleanField(required=False)
