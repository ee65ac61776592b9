"""API shapes of the command structure. Writes go through the services (validation lives there)."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from campaign import services
from campaign.models import Assignment, CommandBody, Membership, Person, Region, Unit
from campaign.selectors import campaign_current
from core.api.fields import MaskedField


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "level_display", "parent", "path", "sort_order"]
        read_only_fields = ["path"]
        extra_kwargs = {"code": {"validators": []}}

    def create(self, validated_data):
        return services.region_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.region_update(actor=self.context["request"].user, region=instance, **validated_data)


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    civilized_level_display = serializers.CharField(source="get_civilized_level_display", read_only=True)
    contact_phone = MaskedField(max_length=30, required=False, allow_blank=True)  # personal data: core.masking

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "kind_display",
            "region",
            "region_name",
            "civilized_level",
            "civilized_level_display",
            "civilized_year",
            "contact_name",
            "contact_phone",
            "address",
            "is_active",
        ]
        extra_kwargs = {"code": {"validators": []}}

    def create(self, validated_data):
        return services.unit_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.unit_update(actor=self.context["request"].user, unit=instance, **validated_data)


class PersonSerializer(serializers.ModelSerializer):
    rank_display = serializers.CharField(source="get_rank_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    phone = MaskedField(max_length=30, required=False, allow_blank=True)  # personal data: core.masking

    class Meta:
        model = Person
        fields = ["id", "name", "rank", "rank_display", "title", "unit", "unit_name", "phone", "user"]
        extra_kwargs = {"user": {"validators": []}}

    def create(self, validated_data):
        return services.person_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.person_update(actor=self.context["request"].user, person=instance, **validated_data)


class MemberSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    rank = serializers.CharField(source="person.rank", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "person", "person_name", "rank", "role", "role_display"]


class MembershipSerializer(serializers.ModelSerializer):
    """A person's place in a command body; added and removed (not edited) through the services."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "body", "body_name", "person", "person_name", "role", "role_display", "sort_order"]
        validators = []  # "already a member" is the service's rule, with its own message

    def create(self, validated_data):
        return services.membership_add(actor=self.context["request"].user, **validated_data)


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "level"]


class CommandBodySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    members = MemberSerializer(source="memberships", many=True, read_only=True)
    regions = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), many=True, required=False)
    region_details = RegionBriefSerializer(source="regions", many=True, read_only=True)
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CommandBody
        fields = [
            "id",
            "campaign",
            "name",
            "kind",
            "kind_display",
            "parent",
            "duty",
            "sort_order",
            "regions",
            "region_details",
            "members",
        ]
        validators = []  # the (campaign, name) rule is checked by the service, with its own message

    def create(self, validated_data):
        campaign = campaign_current()
        if campaign is None:
            raise serializers.ValidationError({"campaign": [_("There is no active campaign.")]})
        return services.command_body_create(actor=self.context["request"].user, campaign=campaign, **validated_data)

    def update(self, instance, validated_data):
        return services.command_body_update(actor=self.context["request"].user, body=instance, **validated_data)


class AssignmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    rank = serializers.CharField(source="person.rank", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True)
    site_name = serializers.CharField(source="site.name", read_only=True, allow_null=True)
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "campaign",
            "person",
            "person_name",
            "rank",
            "region",
            "region_name",
            "site",
            "site_name",
            "required_visits_per_week",
            "start_date",
            "end_date",
            "note",
            "responsibility_letter",
        ]

    def create(self, validated_data):
        campaign = campaign_current()
        if campaign is None:
            raise serializers.ValidationError({"campaign": [_("There is no active campaign.")]})
        return services.assignment_create(actor=self.context["request"].user, campaign=campaign, **validated_data)

    def update(self, instance, validated_data):
        return services.assignment_update(actor=self.context["request"].user, assignment=instance, **validated_data)
