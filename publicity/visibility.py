"""Who may see what in publicity: each model declares its visibility once (core.registry), here.

Imported from PublicityConfig.ready(); pages, API, export, map, figures and photos read through
`core.registry.visible_to(Model, user)`.
"""

from django.utils.translation import gettext_lazy as _

from core.registry import EVERYONE, SCOPED, register, through
from publicity.models import Asset, AssetCheck, AssetPhoto, Post, PrintedMaterial, ThemeEvent

# Assets: office and leader all, a supervisor by region, a unit liaison its own unit's only.
register(
    Asset,
    visible=SCOPED,
    region="region",
    unit="unit",
    filterset="publicity.filtersets.AssetFilterSet",
    serializer="publicity.api.serializers.AssetSerializer",
    surfaces={
        "list": "publicity:asset_list",
        "detail": "publicity:asset_detail",
        "api_list": "publicity-asset-list",
        "api_detail": "publicity-asset-detail",
        "export": "publicity:asset_export",
        "map": "publicity:asset_geojson",
        "figures": "publicity-figures",
        "media": "photos",
    },
    not_found=_("Asset not found."),
)
register(
    AssetCheck,
    visible=through("asset", Asset),
    filterset="publicity.filtersets.AssetCheckFilterSet",
    serializer="publicity.api.serializers.AssetCheckSerializer",
    surfaces={"api_list": "asset-check-list", "api_detail": "asset-check-detail"},
)
register(AssetPhoto, visible=through("asset", Asset), media=("publicity/", ("image",)))
# Online posts, printed materials and theme events are the campaign's public record: every signed-in user
# (a district-wide read keeps the printed materials and events of its district).
register(
    Post,
    visible=EVERYONE,
    filterset="publicity.filtersets.PostFilterSet",
    serializer="publicity.api.serializers.PostSerializer",
    surfaces={"list": "publicity:post_list", "api_list": "publicity-post-list", "api_detail": "publicity-post-detail"},
)
register(
    PrintedMaterial,
    visible=EVERYONE,
    region="region",
    filterset="publicity.filtersets.PrintedMaterialFilterSet",
    surfaces={"list": "publicity:printed_list"},
)
register(
    ThemeEvent,
    visible=EVERYONE,
    region="region",
    filterset="publicity.filtersets.ThemeEventFilterSet",
    surfaces={"list": "publicity:event_list"},
)
