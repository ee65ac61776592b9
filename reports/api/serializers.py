from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.inputs import validate_calendar_day

from ..models import Bulletin


class BulletinSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    pdf = serializers.SerializerMethodField()
    is_published = serializers.BooleanField(read_only=True)

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "kind",
            "kind_display",
            "period_start",
            "period_end",
            "year",
            "number",
            "revision",
            "issuing_body",
            "title",
            "status",
            "status_display",
            "failure_reason",
            "attempts",
            "pdf",
            "is_published",
            "published_at",
            "generated_at",
            "created_at",
            "distribution",
        ]
        read_only_fields = fields

    def get_pdf(self, bulletin) -> str | None:
        if not bulletin.pdf:
            return None
        # The API's own PDF endpoint: it accepts token authentication as well as the session.
        url = reverse("bulletin-pdf", args=[bulletin.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class BulletinDetailSerializer(BulletinSerializer):
    """The detail adds `figures`: the exact data the PDF shows."""

    class Meta(BulletinSerializer.Meta):
        fields = BulletinSerializer.Meta.fields + ["body", "figures"]
        read_only_fields = fields


class BulletinRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("Kind"), choices=Bulletin.Kind.choices)
    period_start = serializers.DateField(label=_("Period start"), validators=[validate_calendar_day])
    period_end = serializers.DateField(
        label=_("Period end"), required=False, allow_null=True, validators=[validate_calendar_day]
    )
    title = serializers.CharField(label=_("Title"), max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(label=_("Text"), required=False, allow_blank=True, default="")
    regenerate = serializers.BooleanField(label=_("Regenerate"), required=False, default=False)
