"""Serializers of site types, sites, problem categories, patrols and their visits."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from campaign.models import Region, Unit
from evaluation.models import EvaluationItem
from inspections.models import Category, ChecklistResult, Patrol, PatrolVisit, Site, SiteType


class SiteTypeSerializer(serializers.ModelSerializer):
    standards = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD)
    )

    class Meta:
        model = SiteType
        fields = ["id", "name", "code", "sort_order", "standards"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "code", "group", "severity", "deadline_working_days", "is_active"]
        # Optional in the schema, so a left-out value takes the model's default (the service needs one).
        extra_kwargs = {
            "severity": {"default": Category._meta.get_field("severity").default},
            "deadline_working_days": {"default": Category._meta.get_field("deadline_working_days").default},
        }


class SiteSerializer(serializers.ModelSerializer):
    site_type_name = serializers.CharField(source="site_type.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    site_type = serializers.PrimaryKeyRelatedField(queryset=SiteType.objects.all())
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    open_ticket_count = serializers.IntegerField(read_only=True, default=0)
    last_visit_at = serializers.DateTimeField(read_only=True, allow_null=True)
    distance_m = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = [
            "id",
            "code",
            "name",
            "site_type",
            "site_type_name",
            "region",
            "region_name",
            "unit",
            "unit_name",
            "address",
            "lat",
            "lng",
            "is_key",
            "is_active",
            "open_ticket_count",
            "last_visit_at",
            "distance_m",
        ]

    def get_distance_m(self, site) -> float | None:
        distance = getattr(site, "distance_m", None)
        return None if distance is None else round(distance, 1)


class ChecklistResultSerializer(serializers.ModelSerializer):
    standard_code = serializers.CharField(source="standard.code", read_only=True)

    class Meta:
        model = ChecklistResult
        fields = ["id", "standard", "standard_code", "result", "score", "note", "ticket"]


class PatrolVisitSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    results = ChecklistResultSerializer(many=True, read_only=True)

    class Meta:
        model = PatrolVisit
        fields = [
            "id",
            "site",
            "site_name",
            "visitor",
            "checked_in_at",
            "lat",
            "lng",
            "distance_m",
            "too_far",
            "score",
            "note",
            "results",
        ]


class PatrolSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.display_name", read_only=True)
    visits = PatrolVisitSerializer(many=True, read_only=True)

    class Meta:
        model = Patrol
        fields = [
            "id",
            "kind",
            "title",
            "leader",
            "leader_name",
            "members",
            "command_body",
            "status",
            "started_at",
            "finished_at",
            "note",
            "visits",
        ]
        read_only_fields = ["leader", "status", "started_at", "finished_at", "members", "command_body"]


class PatrolStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Patrol.Kind.choices)
    members = serializers.PrimaryKeyRelatedField(
        many=True, required=False, default=list, queryset=get_user_model().objects.filter(is_active=True)
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CheckInSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    lng = serializers.FloatField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResultEntrySerializer(serializers.Serializer):
    standard = serializers.IntegerField()
    result = serializers.ChoiceField(choices=ChecklistResult.Result.choices)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.IntegerField(required=False, allow_null=True, default=None)


class RecordResultsSerializer(serializers.Serializer):
    visit = serializers.IntegerField()
    results = ResultEntrySerializer(many=True)


class FinishSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Views ----------------------------------------------------------------------------------------------
