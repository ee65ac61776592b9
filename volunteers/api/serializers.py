from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaign.models import Region, Unit
from core.api.fields import MaskedField
from volunteers.models import Activity, JointActivity, MicroWish, Pairing, Participation, Team, Volunteer


class TeamSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    contact_phone = MaskedField(max_length=30, required=False, allow_blank=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "is_brand",
            "unit",
            "region",
            "leader_name",
            "contact_phone",
            "description",
            "founded_on",
            "member_count",
        ]


class VolunteerSerializer(serializers.ModelSerializer):
    phone = MaskedField(max_length=11)
    id_number = MaskedField(max_length=18)
    teams = serializers.PrimaryKeyRelatedField(many=True, queryset=Team.objects.all(), required=False)

    class Meta:
        model = Volunteer
        fields = ["id", "name", "gender", "phone", "id_number", "region", "is_party_member", "registered_on", "teams"]
        extra_kwargs = {"registered_on": {"required": False}}
        validators = []  # uniqueness is the service's, with the same messages as the page and the import


class ParticipationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="volunteer.name", read_only=True)
    phone = MaskedField(source="volunteer.phone", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "volunteer", "name", "phone", "hours", "source", "signed_in_at"]


class ActivitySerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    person_times = serializers.IntegerField(read_only=True)
    service_hours = serializers.DecimalField(max_digits=12, decimal_places=1, read_only=True)
    participants = serializers.SerializerMethodField()
    sign_in_url = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "theme",
            "kind",
            "start_at",
            "end_at",
            "site",
            "address",
            "region",
            "team",
            "team_name",
            "description",
            "person_times",
            "service_hours",
            "participants",
            "sign_in_url",
        ]
        read_only_fields = ["region"]

    @extend_schema_field(ParticipationSerializer(many=True))
    def get_participants(self, activity) -> list:
        """Rows fetched for the whole page at once by the view (selectors.participants_by_activity)."""
        rows = self.context.get("participants")
        if rows is None or activity.pk not in rows:
            from volunteers.selectors import participants_by_activity

            rows = participants_by_activity([activity.pk], user=getattr(self.context.get("request"), "user", None))
        return rows[activity.pk]

    def get_sign_in_url(self, activity) -> str:
        path = reverse("volunteers:activity_sign_in", args=[activity.sign_in_token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ParticipantInputSerializer(serializers.Serializer):
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)


class JointActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = JointActivity
        fields = ["id", "title", "held_on", "participants", "content"]


class PairingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    joint_activities = JointActivitySerializer(many=True, read_only=True)
    community = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())

    class Meta:
        model = Pairing
        fields = [
            "id",
            "unit",
            "unit_name",
            "community",
            "community_name",
            "start_date",
            "end_date",
            "content",
            "joint_activities",
        ]
        extra_kwargs = {"start_date": {"required": False}}
        validators = []


class MicroWishSerializer(serializers.ModelSerializer):
    resident_phone = MaskedField(max_length=11, required=False, allow_blank=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = MicroWish
        fields = [
            "id",
            "community",
            "community_name",
            "resident_name",
            "resident_phone",
            "title",
            "description",
            "status",
            "claimed_by_volunteer",
            "claimed_by_unit",
            "claimed_at",
            "fulfilled_at",
            "fulfilment_photo",
            "fulfilment_note",
            "posted_at",
        ]
        read_only_fields = [
            "status",
            "claimed_by_volunteer",
            "claimed_by_unit",
            "claimed_at",
            "fulfilled_at",
            "fulfilment_photo",
            "fulfilment_note",
            "posted_at",
        ]


class ClaimInputSerializer(serializers.Serializer):
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all(), required=False, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)


class FulfilInputSerializer(serializers.Serializer):
    photo = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
