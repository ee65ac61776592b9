"""Pages of the publicity app: assets (list, map, detail, edit, export), the phone look-back check, posts, printed
materials, theme events and figures. Views parse input and call one service or selector."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Region
from core.exceptions import DomainError, NotInScope
from core.pages import paginate, render_list, show_service_error
from core.periods import page_period
from core.registry import row_is_visible, visible_to

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


@login_required
def asset_list(request):
    filterset = AssetFilterSet(request.GET, queryset=selectors.asset_list(user=request.user))
    page = paginate(request, filterset.qs)
    return render_list(
        request,
        "publicity/asset_list.html",
        "publicity/_asset_table.html",
        {
            "filterset": filterset,
            "page": page,
            "query": request.GET.urlencode(),
            "can_check": selectors.can_check_assets(request.user),
            "bad_conditions": BAD_CONDITIONS,
        },
    )


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


@login_required
def asset_create(request):
    refusal = _office_only(request)
    if refusal:
        return refusal
    form = AssetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The asset was added."))
            return redirect("publicity:asset_detail", pk=asset.pk)
    return render(
        request,
        "publicity/form.html",
        {"form": form, "title": _("New publicity asset"), "back": reverse("publicity:asset_list")},
    )


@login_required
def asset_update(request, pk):
    """Office staff correct an asset's description; its condition is the look-back checks' to set."""
    asset = _get_asset(request, pk)  # outside the user's scope: 404 before any 403
    refusal = _office_only(request)
    if refusal:
        return refusal
    # The form writes the posted values onto its instance while validating: give it a copy, not the page's asset.
    form = AssetForm(request.POST or None, instance=copy.copy(asset))
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("publicity:asset_detail", pk=asset.pk)
        try:
            services.asset_update(actor=request.user, asset=asset, **form.changes())
        except (ValidationError, DomainError) as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The asset was saved."))
            return redirect("publicity:asset_detail", pk=asset.pk)
    return render(
        request,
        "publicity/form.html",
        {
            "form": form,
            "title": _("Edit %(code)s") % {"code": asset.code},
            "back": reverse("publicity:asset_detail", args=[asset.pk]),
        },
    )


@login_required
def asset_export(request):
    from core.xlsx import xlsx_response

    filterset = AssetFilterSet(request.GET, queryset=selectors.asset_list(user=request.user))
    kinds, conditions = dict(Asset.Kind.choices), dict(Condition.choices)
    rows = (
        [
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
        for code, kind, theme, site, address, region, unit, quantity, condition, checked, lat, lng in filterset.qs.values_list(  # noqa: E501
            "code",
            "kind",
            "theme",
            "site__name",
            "address",
            "region__name",
            "unit__name",
            "quantity",
            "condition",
            "last_checked_at",
            "lat",
            "lng",
        ).iterator(chunk_size=2000)
    )
    headers = [
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
    return xlsx_response(
        filename=f"{_('Publicity assets')}-{timezone.localdate():%Y%m%d}.xlsx",
        headers=headers,
        rows=rows,
        sheet_title=_("Publicity assets"),
    )


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
        if form.is_valid():
            asset = _get_asset(request, form.cleaned_data["asset"])
            try:
                check = services.asset_check_record(
                    actor=request.user,
                    asset=asset,
                    condition=form.cleaned_data["condition"],
                    note=form.cleaned_data["note"],
                    photos=form.cleaned_data["photos"],
                )
            except (ValidationError, DomainError) as exc:
                show_service_error(request, exc, form)
            else:
                if check.raised_ticket:
                    messages.warning(
                        request,
                        _("%(code)s recorded; ticket %(number)s was raised for its unit.")
                        % {"code": asset.code, "number": check.ticket.number},
                    )
                elif check.ticket_id:
                    messages.info(
                        request,
                        _("%(code)s recorded; it joins the open ticket %(number)s.")
                        % {"code": asset.code, "number": check.ticket.number},
                    )
                else:
                    messages.success(request, _("%(code)s recorded as good.") % {"code": asset.code})
                return redirect(f"{reverse('publicity:check_start')}?days={days}&region={region.pk if region else ''}")
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


# --- Posts, printed materials, theme events ----------------------------------------------------------------


def _ledger(request, *, filterset_class, queryset, form_class, service, template, partial, title, success):
    form = form_class(request.POST or None) if request.user.is_office else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            service(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, success)
            return redirect(request.path)
    filterset = filterset_class(request.GET, queryset=queryset)
    page = paginate(request, filterset.qs)
    return render_list(request, template, partial, {"filterset": filterset, "page": page, "form": form, "title": title})


@login_required
def post_list(request):
    return _ledger(
        request,
        filterset_class=PostFilterSet,
        queryset=selectors.post_list(user=request.user),
        form_class=PostForm,
        service=services.post_create,
        template="publicity/post_list.html",
        partial="publicity/_post_table.html",
        title=_("Online posts"),
        success=_("The post was recorded."),
    )


@login_required
def printed_list(request):
    return _ledger(
        request,
        filterset_class=PrintedMaterialFilterSet,
        queryset=selectors.printed_list(user=request.user),
        form_class=PrintedMaterialForm,
        service=services.printed_material_record,
        template="publicity/printed_list.html",
        partial="publicity/_printed_table.html",
        title=_("Printed materials"),
        success=_("The hand-out was recorded."),
    )


@login_required
def event_list(request):
    return _ledger(
        request,
        filterset_class=ThemeEventFilterSet,
        queryset=selectors.event_list(user=request.user),
        form_class=ThemeEventForm,
        service=services.theme_event_record,
        template="publicity/event_list.html",
        partial="publicity/_event_table.html",
        title=_("Theme events"),
        success=_("The event was recorded."),
    )


@login_required
def figures(request):
    period = page_period(request)
    data = selectors.publicity_figures(user=request.user, start=period["start"], end=period["end"])
    return render(request, "publicity/figures.html", {**period, "figures": data}, status=period["status"])
