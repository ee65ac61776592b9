from rest_framework import serializers

from publicity.models import Asset, AssetCheck, Condition, Post


class AssetSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True, allow_null=True)

    class Meta:
        model = Asset
        fields = [
            "id",
            "code",
            "kind",
            "theme",
            "site",
            "site_name",
            "address",
            "lat",
            "lng",
            "region",
            "region_name",
            "quantity",
            "unit",
            "unit_name",
            "condition",
            "installed_on",
            "last_checked_at",
            "open_ticket",
        ]
        read_only_fields = ["condition", "last_checked_at", "open_ticket"]
        extra_kwargs = {
            "code": {"required": False, "allow_blank": True},
            "region": {"required": False},
            "unit": {"required": False},
        }
        validators = []


class AssetCheckSerializer(serializers.ModelSerializer):
    asset_code = serializers.CharField(source="asset.code", read_only=True)
    checked_by = serializers.CharField(source="checked_by.username", read_only=True)
    ticket_number = serializers.CharField(source="ticket.number", read_only=True, allow_null=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = AssetCheck
        fields = [
            "id",
            "asset",
            "asset_code",
            "checked_by",
            "checked_at",
            "condition",
            "note",
            "ticket",
            "ticket_number",
            "raised_ticket",
            "photos",
        ]

    def get_photos(self, check) -> list[str]:
        request = self.context.get("request")
        urls = [photo.image.url for photo in check.photos.all()]
        return [request.build_absolute_uri(u) for u in urls] if request else urls


class AssetCheckInputSerializer(serializers.Serializer):
    asset = serializers.IntegerField()
    condition = serializers.ChoiceField(choices=Condition.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "channel", "title", "url", "published_on", "views"]
