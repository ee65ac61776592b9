"""Serializers of tickets, their photos and events, and of the inputs of each ticket action."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from campaign.models import Region, Unit
from core.inputs import validate_calendar_day
from core.registry import visible_to
from evaluation.models import EvaluationItem
from inspections.models import Category, PatrolVisit, Site, Ticket, TicketEvent, TicketPhoto
from inspections.tickets import selectors


class TicketPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = TicketPhoto
        fields = ["id", "kind", "url", "thumbnail_url", "event", "created_at"]

    def _absolute(self, field) -> str | None:
        if not field:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(field.url) if request else field.url

    def get_url(self, photo) -> str | None:
        return self._absolute(photo.image)

    def get_thumbnail_url(self, photo) -> str | None:
        return self._absolute(photo.thumbnail or photo.image)


class TicketSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True, allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True)
    status_display = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    recurrence_of_number = serializers.CharField(source="recurrence_of.number", read_only=True, allow_null=True)
    photos = TicketPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "site",
            "site_name",
            "category",
            "category_name",
            "description",
            "severity",
            "source",
            "status",
            "status_display",
            "unit",
            "unit_name",
            "region",
            "region_name",
            "standard",
            "deadline",
            "is_overdue",
            "rework_count",
            "extension_count",
            "escalation",
            "fixed_on_spot",
            "is_recurrence",
            "recurrence_of",
            "recurrence_of_number",
            "lat",
            "lng",
            "created_at",
            "filed_at",
            "dispatched_at",
            "submitted_at",
            "closed_at",
            "closed_on_time",
            "photos",
        ]
        read_only_fields = fields

    def get_status_display(self, ticket) -> str:
        # A plain lookup: DRF's callable sources cost an inspect.signature() call per row.
        return str(STATUS_LABELS[ticket.status])


STATUS_LABELS = dict(Ticket.Status.choices)


class TicketDetailSerializer(TicketSerializer):
    allowed_actions = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = TicketSerializer.Meta.fields + ["allowed_actions"]
        read_only_fields = fields

    def get_allowed_actions(self, ticket) -> list[str]:
        return selectors.ticket_allowed_actions(user=self.context["request"].user, ticket=ticket)


class TicketEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    actor_name = serializers.CharField(source="actor.display_name", read_only=True, allow_null=True)
    photos = TicketPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = TicketEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "actor",
            "actor_name",
            "note",
            "data",
            "created_at",
            "photos",
        ]


def photo_field():
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        label=gettext_lazy("Photos"),
        help_text=gettext_lazy("JPEG, PNG or WebP, sent as multipart `photos` (repeat the field for several)."),
    )


class TicketCreateSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), label=gettext_lazy("Category")
    )
    description = serializers.CharField(label=gettext_lazy("Description"))
    source = serializers.ChoiceField(choices=Ticket.Source.choices, required=False, label=gettext_lazy("Source"))
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.filter(is_active=True), required=False, allow_null=True, label=gettext_lazy("Site")
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        label=gettext_lazy("Responsible unit"),
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True, label=gettext_lazy("Region")
    )
    standard = serializers.PrimaryKeyRelatedField(
        queryset=EvaluationItem.objects.all(),
        required=False,
        allow_null=True,
        label=gettext_lazy("Evaluation standard"),
    )
    patrol_visit = serializers.PrimaryKeyRelatedField(
        queryset=PatrolVisit.objects.all(), required=False, allow_null=True, label=gettext_lazy("Patrol visit")
    )
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    photos = photo_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sites and patrol visits the reporter cannot see do not exist for them (the service checks again).
        request = self.context.get("request")
        if request is not None:
            self.fields["site"].queryset = visible_to(Site, request.user).filter(is_active=True)
            self.fields["patrol_visit"].queryset = visible_to(PatrolVisit, request.user)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", label=gettext_lazy("Note"))


class DispatchSerializer(NoteSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True), label=gettext_lazy("Responsible unit")
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, label=gettext_lazy("Deadline"), validators=[validate_calendar_day]
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label=gettext_lazy("Reason"))


class SubmitSerializer(NoteSerializer):
    photos = photo_field()


class DecisionSerializer(NoteSerializer):
    approved = serializers.BooleanField(label=gettext_lazy("Approved"))


class ExtendSerializer(ReasonSerializer):
    deadline = serializers.DateField(label=gettext_lazy("New deadline"), validators=[validate_calendar_day])


# After an action the answer is the ticket as the actor now sees it, or, when the ticket has just left their scope
# (a unit that returned it), only its id, number and status.
