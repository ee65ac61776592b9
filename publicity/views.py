"""Pages of the publicity app: assets (list, map, detail, edit, export), the phone look-back check, posts, printed
materials, theme events and figures. Views parse input and call one service or selector."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.models import Region
from core.exceptions import NotInScope
from core.pages import submit_form
from core.periods import page_period
from core.registry import row_is_visible, visible_to
from core.views_base import ExportView, GuardedFormPage, ListPage, ListWithFormPage

from . import selectors, services
from .filtersets import AssetFilterSet, PostFilterSet, PrintedMaterialFilterSet, ThemeEventFilterSet
from .forms import AssetForm, CheckForm, PostForm, PrintedMaterialForm, ThemeEventForm
from .models import BAD_CONDITIONS, Asset, Condition

SKIP_KEY = "publicity_check_skipped"


def _office_only(request):
    if not request.user.is_office:
        messages.error(request, _("Only campaign office staff may do this."))
        return render(request, "publicity/forbidden.html", status=403)
    return None


def _get_asset(request, pk) -> Asset:
    try:
        return selectors.asset_get_for(user=request.user, pk=pk)
    except NotInScope:
        raise Http404 from None


# --- Assets ------------------------------------------------------------------------------------------------


class AssetList(ListPage):
    selector = staticmethod(selectors.asset_list)
    filterset_class = AssetFilterSet
    bind_empty_query = True
    template_name = "publicity/asset_list.html"
    partial_name = "publicity/_asset_table.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            query=self.request.GET.urlencode(),
            can_check=selectors.can_check_assets(user),
            bad_conditions=BAD_CONDITIONS,
            **kwargs,
        )


asset_list = AssetList.as_view()


@login_required
def asset_detail(request, pk):
    asset = _get_asset(request, pk)
    checks = selectors.asset_checks(asset=asset, user=request.user)[:50]
    open_ticket = asset.open_ticket if asset.open_ticket and row_is_visible(asset.open_ticket, request.user) else None
    from inspections.models import Ticket

    # The tickets its checks raised that the user sees (one may since have gone to another unit).
    tickets = (
        visible_to(Ticket, request.user)
        .filter(asset_checks__asset=asset)
        .distinct()
        .select_related("unit")
        .order_by("-created_at")
    )
    return render(
        request,
        "publicity/asset_detail.html",
        {
            "asset": asset,
            # Its open ticket only when the user sees it (it may have gone to another unit).
            "open_ticket": open_ticket,
            "checks": checks,
            "tickets": tickets,
            "photos": asset.photos.all()[:12],
            "can_check": selectors.can_check_assets(request.user),
            "bad_conditions": BAD_CONDITIONS,
            "can_edit": selectors.can_edit_assets(request.user),
            "history": selectors.asset_history(asset=asset),
        },
    )


class PublicityForm(GuardedFormPage):
    """The office's form pages (publicity/form.html); anyone else gets the 403 page."""

    template_name = "publicity/form.html"
    forbidden_template = "publicity/forbidden.html"
    refused_message = gettext_lazy("Only campaign office staff may do this.")

    def allowed(self):
        return self.request.user.is_office


class AssetCreate(PublicityForm):
    form_class = AssetForm
    uploads = True
    title = gettext_lazy("New publicity asset")
    success_message = gettext_lazy("The asset was added.")

    def perform(self, data):
        return services.asset_create(actor=self.request.user, **data)

    def success_url(self, asset):
        return reverse("publicity:asset_detail", args=[asset.pk])

    def cancel_url(self):
        return reverse("publicity:asset_list")


class AssetUpdate(PublicityForm):
    """Office staff correct an asset's description; its condition is the look-back checks' to set."""

    form_class = AssetForm
    success_message = gettext_lazy("The asset was saved.")
    unchanged_message = gettext_lazy("Nothing was changed.")

    def refusal(self):
        self.asset = _get_asset(self.request, self.kwargs["pk"])  # outside the user's scope: 404 before any 403
        return super().refusal()

    def form_extra(self):
        # The form writes the posted values onto its instance while validating: a copy, not the page's asset.
        return {"instance": copy.copy(self.asset)}

    def perform(self, data):
        return services.asset_update(actor=self.request.user, asset=self.asset, **self.form.changes())

    def get_title(self):
        return _("Edit %(code)s") % {"code": self.asset.code}

    def success_url(self, _result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("publicity:asset_detail", args=[self.asset.pk])


asset_create = AssetCreate.as_view()
asset_update = AssetUpdate.as_view()


class AssetExport(ExportView):
    selector = staticmethod(selectors.asset_list)
    filterset_class = AssetFilterSet
    bind_empty_query = True

    def headers(self):
        return [
            _("Code"),
            _("Type"),
            _("Theme"),
            _("Site"),
            _("Address"),
            _("Region"),
            _("Responsible unit"),
            _("Quantity"),
            _("Condition"),
            _("Last checked at"),
            _("Latitude"),
            _("Longitude"),
        ]

    def rows(self, queryset):
        kinds, conditions = dict(Asset.Kind.choices), dict(Condition.choices)
        fields = ("code", "kind", "theme", "site__name", "address", "region__name", "unit__name", "quantity")
        fields += ("condition", "last_checked_at", "lat", "lng")
        for (
            code,
            kind,
            theme,
            site,
            address,
            region,
            unit,
            quantity,
            condition,
            checked,
            lat,
            lng,
        ) in queryset.values_list(*fields).iterator(chunk_size=2000):
            yield [
                code,
                str(kinds.get(kind, kind)),
                theme,
                site or "",
                address,
                region,
                unit,
                quantity,
                str(conditions.get(condition, condition)),
                checked,
                lat,
                lng,
            ]

    def filename_stem(self):
        return _("Publicity assets")

    def sheet_title(self):
        return _("Publicity assets")


asset_export = AssetExport.as_view()


@login_required
def asset_map(request):
    from django.conf import settings

    filterset = AssetFilterSet(request.GET, queryset=selectors.asset_list(user=request.user))
    return render(
        request,
        "publicity/asset_map.html",
        {
            "filterset": filterset,
            "geojson_url": reverse("publicity:asset_geojson") + "?" + request.GET.urlencode(),
            "tiles": bool(settings.MAP_TILES_URL),
        },
    )


@login_required
def asset_geojson(request):
    """The visible assets that have a position, as a GeoJSON FeatureCollection (bbox=minlng,minlat,maxlng,maxlat)."""
    filterset = AssetFilterSet(request.GET, queryset=selectors.assets_visible_to(request.user))
    assets = selectors.with_point(filterset.qs).filter(point_lat__isnull=False, point_lng__isnull=False)
    bbox = request.GET.get("bbox")
    if bbox:
        try:
            min_lng, min_lat, max_lng, max_lat = (float(v) for v in bbox.split(","))
        except ValueError:
            return JsonResponse({"bbox": [_("Give bbox as minlng,minlat,maxlng,maxlat.")]}, status=400)
        assets = assets.filter(
            point_lat__gte=min_lat, point_lat__lte=max_lat, point_lng__gte=min_lng, point_lng__lte=max_lng
        )
    kinds, conditions = dict(Asset.Kind.choices), dict(Condition.choices)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lng, lat]},
            "properties": {
                "id": pk,
                "code": code,
                "theme": theme,
                "kind": str(kinds.get(kind, kind)),
                "condition": condition,
                "condition_label": str(conditions.get(condition, condition)),
                "url": reverse("publicity:asset_detail", args=[pk]),
            },
        }
        for pk, code, theme, kind, condition, lat, lng in assets.values_list(
            "pk", "code", "theme", "kind", "condition", "point_lat", "point_lng"
        )[:5000]
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


# --- The look-back check (phone) -----------------------------------------------------------------------------


def _route_params(request):
    source = request.POST if request.method == "POST" else request.GET
    try:
        days = max(0, min(365, int(source.get("days", selectors.DEFAULT_RECHECK_DAYS))))
    except ValueError:
        days = selectors.DEFAULT_RECHECK_DAYS
    region = (
        Region.objects.filter(pk=source.get("region")).first() if (source.get("region") or "").isdecimal() else None
    )
    return days, region


@login_required
def check_start(request):
    """One asset at a time: the next on the route (by region, site, code) not checked for `days` days, or the
    asset asked for (?asset=). Record its condition, a note and photos, then go on to the next."""
    if not selectors.can_check_assets(request.user):
        messages.error(request, _("Your role does not allow look-back checks."))
        return render(request, "publicity/forbidden.html", status=403)
    days, region = _route_params(request)
    skipped = request.session.get(SKIP_KEY, [])
    form = None
    if request.method == "POST":
        if request.POST.get("action") == "skip":
            asset_id = request.POST.get("asset", "")
            if asset_id.isdecimal():
                request.session[SKIP_KEY] = list({*skipped, int(asset_id)})
            return redirect(f"{reverse('publicity:check_start')}?days={days}&region={region.pk if region else ''}")
        if request.POST.get("action") == "restart":
            request.session[SKIP_KEY] = []
            return redirect(f"{reverse('publicity:check_start')}?days={days}&region={region.pk if region else ''}")
        form = CheckForm(request.POST, request.FILES)
        done = submit_form(
            request,
            form,
            lambda data: services.asset_check_record(
                actor=request.user,
                asset=_get_asset(request, data["asset"]),
                condition=data["condition"],
                note=data["note"],
                photos=data["photos"],
            ),
            success=_check_recorded,
            redirect_to=lambda _check: (
                f"{reverse('publicity:check_start')}?days={days}&region={region.pk if region else ''}"
            ),
        )
        if done:
            return done
    route = selectors.asset_route(user=request.user, days=days, region=region, skip=skipped)
    wanted = request.GET.get("asset") or (form.data.get("asset") if form is not None else None)
    asset = _get_asset(request, wanted) if wanted and str(wanted).isdecimal() else route.first()
    if form is None and asset is not None:
        form = CheckForm(initial={"asset": asset.pk})
    return render(
        request,
        "publicity/check.html",
        {
            "asset": asset,
            "form": form,
            "remaining": route.count(),
            "days": days,
            "region": region,
            "regions": Region.objects.filter(level__lte=Region.Level.STREET).order_by("path"),
            "skipped": len(skipped),
            "last_check": asset.checks.order_by("-checked_at").first() if asset else None,
        },
    )


def _check_recorded(check):
    """The message after a look-back check: a raised ticket is a warning, joining an open one is news."""
    asset = check.asset
    if check.raised_ticket:
        return messages.WARNING, _("%(code)s recorded; ticket %(number)s was raised for its unit.") % {
            "code": asset.code,
            "number": check.ticket.number,
        }
    if check.ticket_id:
        return messages.INFO, _("%(code)s recorded; it joins the open ticket %(number)s.") % {
            "code": asset.code,
            "number": check.ticket.number,
        }
    return _("%(code)s recorded as good.") % {"code": asset.code}


# --- Posts, printed materials, theme events ----------------------------------------------------------------


class Ledger(ListWithFormPage):
    """Posts, printed materials, theme events: the list, and for the office the form that records one more."""

    bind_empty_query = True
    template_name = "publicity/ledger.html"
    title = ""
    form_title = ""
    service = None

    def get_form(self):
        return self.form_class(self.request.POST or None) if self.request.user.is_office else None

    def perform(self, data):
        return self.service(actor=self.request.user, **data)

    def success_url(self, _result):
        return self.request.path

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, form_title=self.form_title, table=self.partial_name, **kwargs)


def _ledger(key, selector, filterset_class, form_class, service, title, form_title, success):
    """One ledger page (publicity/ledger.html), its table publicity/_<key>_table.html."""
    return Ledger.as_view(
        selector=selector,
        filterset_class=filterset_class,
        form_class=form_class,
        service=service,
        partial_name=f"publicity/_{key}_table.html",
        title=title,
        form_title=form_title,
        success_message=success,
    )


post_list = _ledger(
    "post",
    selectors.post_list,
    PostFilterSet,
    PostForm,
    services.post_create,
    gettext_lazy("Online posts"),
    gettext_lazy("Record a post"),
    gettext_lazy("The post was recorded."),
)
printed_list = _ledger(
    "printed",
    selectors.printed_list,
    PrintedMaterialFilterSet,
    PrintedMaterialForm,
    services.printed_material_record,
    gettext_lazy("Printed materials"),
    gettext_lazy("Record a hand-out"),
    gettext_lazy("The hand-out was recorded."),
)
event_list = _ledger(
    "event",
    selectors.event_list,
    ThemeEventFilterSet,
    ThemeEventForm,
    services.theme_event_record,
    gettext_lazy("Theme events"),
    gettext_lazy("Record an event"),
    gettext_lazy("The event was recorded."),
)


@login_required
def figures(request):
    period = page_period(request)
    data = selectors.publicity_figures(user=request.user, start=period["start"], end=period["end"])
    return render(request, "publicity/figures.html", {**period, "figures": data}, status=period["status"])
