"""Pages of sites, the evaluation system, site types, problem categories and leaders' visits."""

from datetime import timedelta
from functools import wraps
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import PAGE_SIZES, page_size
from core.roles import Role
from core.xlsx import XLSX_CONTENT_TYPE, xlsx_response

from .. import site_selectors as selectors
from .. import site_services as services
from ..models import Category, PatrolVisit, SiteType
from ..site_filtersets import SiteFilterSet
from ..site_forms import CategoryForm, SiteForm, SiteTypeForm, WeekForm, XlsxUploadForm


def office_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_office:
            raise PermissionDenied(_("Only the campaign office may do this."))
        return view(request, *args, **kwargs)

    return wrapper


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not (request.user.is_office or request.user.role in roles):
                raise PermissionDenied(_("Your role may not open this page."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def paginate(request, queryset):
    size = page_size(request)
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode(), size


# --- Sites -------------------------------------------------------------------------------------------


@login_required
def site_list(request):
    filterset = SiteFilterSet(request.GET or None, queryset=selectors.site_list(user=request.user), request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page, query, size = paginate(request, queryset)
    context = {"filter": filterset, "page": page, "query": query, "page_size": size, "page_sizes": PAGE_SIZES}
    if request.htmx:
        return render(request, "inspections/sites/_site_table.html", context)
    return render(request, "inspections/sites/site_list.html", context)


@login_required
def site_detail(request, pk):
    site = selectors.site_get_for(user=request.user, pk=pk)
    from ..selectors import tickets_visible_to

    tickets = (
        tickets_visible_to(request.user)
        .filter(site=site)
        .select_related("category", "unit")
        .order_by("-created_at")[:20]
    )
    visits = PatrolVisit.objects.filter(site=site).select_related("patrol", "visitor").order_by("-checked_in_at")[:20]
    context = {
        "site": site,
        "checklist": selectors.site_checklist(site.site_type),
        "assignments": selectors.site_assignments(site),
        "visits": visits,
        "tickets": tickets,
        "site_url": request.build_absolute_uri(reverse("inspections:site_detail", args=[site.pk])),
        "can_patrol": request.user.is_office or request.user.role in (Role.SUPERVISOR, Role.LEADER, Role.UNIT),
        "site_point": [{"id": site.pk, "name": site.name, "lat": site.lat, "lng": site.lng, "key": site.is_key}],
        "tiles_url": settings.MAP_TILES_URL,
        "history": _office_history(request, site),
    }
    return render(request, "inspections/sites/site_detail.html", context)


def _office_history(request, obj):
    """Change history of sites, site types and categories: the office's to read (issue 9)."""
    if not request.user.is_office or obj is None:
        return None
    from campaign.selectors import history_entries

    return history_entries(obj)


@login_required
def site_qr(request, pk):
    """一点一码: an SVG QR code that opens the site's page on a phone."""
    import qrcode
    import qrcode.image.svg

    site = selectors.site_get_for(user=request.user, pk=pk)
    url = request.build_absolute_uri(reverse("inspections:site_detail", args=[site.pk]))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="site-{site.code}.svg"'
    return response


@login_required
def site_map(request):
    filterset = SiteFilterSet(request.GET or None, queryset=selectors.sites_visible_to(request.user), request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    rows = queryset.filter(lat__isnull=False, lng__isnull=False).values(
        "pk",
        "code",
        "name",
        "lat",
        "lng",
        "is_key",
        "site_type__name",
        "unit__name",
    )
    detail = reverse("inspections:site_detail", args=[0])[:-2]
    points = [
        {
            "id": r["pk"],
            "code": r["code"],
            "name": r["name"],
            "lat": r["lat"],
            "lng": r["lng"],
            "key": r["is_key"],
            "type": r["site_type__name"],
            "unit": r["unit__name"],
            "url": f"{detail}{r['pk']}/",
        }
        for r in rows
    ]
    return render(
        request,
        "inspections/sites/site_map.html",
        {
            "filter": filterset,
            "points": points,
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
            "center": list(settings.MAP_CENTER),
        },
    )


@login_required
def site_export(request):
    filterset = SiteFilterSet(request.GET or None, queryset=selectors.site_list(user=request.user), request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if filterset.is_bound and not filterset.is_valid():
        queryset = queryset.none()
    return xlsx_response(
        filename=f"{_('Sites')}-{timezone.localdate():%Y%m%d}.xlsx",
        headers=services.site_export_headers(),
        rows=([*row[:8], _("Yes") if row[8] else _("No"), *row[9:]] for row in services.site_export_rows(queryset)),
        sheet_title=_("Sites"),
    )


@office_required
def site_import(request):
    form = XlsxUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.site_import(actor=request.user, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _("Imported: %(created)d sites created, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("inspections:site_list")
        messages.error(request, _("Nothing was imported: correct the rows below and upload the file again."))
    return render(
        request,
        "inspections/sites/site_import.html",
        {"form": form, "result": result, "columns": services.SITE_COLUMNS},
    )


@office_required
def site_create(request):
    return _site_form(request, None)


@office_required
def site_edit(request, pk):
    return _site_form(request, selectors.site_get_for(user=request.user, pk=pk))


def _site_form(request, site):
    initial = SiteForm.initial_for(site) if site else {"is_active": True}
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_save(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The site was saved."))
            return redirect("inspections:site_detail", pk=site.pk)
    return render(request, "inspections/sites/site_form.html", {"form": form, "site": site})


# --- Evaluation system --------------------------------------------------------------------------------


@login_required
def evaluation_tree(request):
    return render(
        request,
        "inspections/evaluation/tree.html",
        {
            "tree": selectors.evaluation_tree(),
            "counts": selectors.evaluation_counts(),
            "form": XlsxUploadForm(),
            "columns": services.EVALUATION_COLUMNS,
        },
    )


@office_required
@require_POST
def evaluation_import(request):
    form = XlsxUploadForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        result = services.evaluation_import(actor=request.user, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _("Imported %(standards)d standards: %(created)d items created, %(updated)d updated.")
                % {"standards": result.details["standards"], "created": result.created, "updated": result.updated},
            )
            return redirect("inspections:evaluation_tree")
        messages.error(request, _("Nothing was imported: correct the rows below and upload the file again."))
    return render(
        request,
        "inspections/evaluation/tree.html",
        {
            "tree": selectors.evaluation_tree(),
            "counts": selectors.evaluation_counts(),
            "form": form,
            "result": result,
            "columns": services.EVALUATION_COLUMNS,
        },
        status=400,
    )


@login_required
def evaluation_sample(request):
    response = HttpResponse(services.evaluation_sample_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="evaluation-sample.xlsx"'
    return response


@office_required
@require_POST
def evaluation_load_sample(request):
    services.reference_data_load(actor=request.user)
    result = services.evaluation_load_sample(actor=request.user)
    if result.ok:
        messages.success(
            request,
            _("The sample evaluation system was loaded (%(standards)d standards).")
            % {"standards": result.details["standards"]},
        )
    else:
        for error in result.errors:
            messages.error(request, error.message)
    return redirect("inspections:evaluation_tree")


# --- Site types and categories --------------------------------------------------------------------


@login_required
def site_type_list(request):
    return render(request, "inspections/sites/site_type_list.html", {"site_types": selectors.site_types_with_counts()})


@office_required
def site_type_create(request):
    return _site_type_form(request, None)


@office_required
def site_type_edit(request, pk):
    return _site_type_form(request, get_object_or_404(SiteType, pk=pk))


def _site_type_form(request, site_type):
    initial = {}
    if site_type:
        initial = {
            "name": site_type.name,
            "code": site_type.code,
            "sort_order": site_type.sort_order,
            "standards": list(site_type.standards.values_list("pk", flat=True)),
        }
    form = SiteTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_type_save(actor=request.user, site_type=site_type, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The site type was saved."))
            return redirect("inspections:site_type_list")
    return render(
        request,
        "inspections/sites/site_type_form.html",
        {"form": form, "site_type": site_type, "history": _office_history(request, site_type)},
    )


@login_required
def category_list(request):
    from django.db.models import Count

    categories = Category.objects.annotate(ticket_count=Count("tickets")).order_by("group", "code")
    return render(request, "inspections/sites/category_list.html", {"categories": categories})


@office_required
def category_create(request):
    return _category_form(request, None)


@office_required
def category_edit(request, pk):
    return _category_form(request, get_object_or_404(Category, pk=pk))


def _category_form(request, category):
    initial = {"is_active": True, "deadline_working_days": 3, "severity": Category.Severity.MEDIUM}
    if category:
        initial = {f: getattr(category, f) for f in CategoryForm.base_fields}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("inspections:category_list")
    return render(
        request,
        "inspections/sites/category_form.html",
        {"form": form, "category": category, "history": _office_history(request, category)},
    )


@office_required
@require_POST
def reference_load(request):
    created = services.reference_data_load(actor=request.user)
    messages.success(
        request, _("Defaults loaded: %(site_types)d site types and %(categories)d categories added.") % created
    )
    return redirect(request.POST.get("next") or "inspections:site_type_list")


def _form_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Leaders' visits ------------------------------------------------------------------------------------


@roles_required(Role.LEADER, Role.SUPERVISOR)
def visit_frequency(request):
    form = WeekForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("week"):
        day = form.cleaned_data["week"]
    week_start = selectors.monday_of(day)
    rows = selectors.leader_visit_summary(week_start=week_start)
    return render(
        request,
        "inspections/sites/visit_frequency.html",
        {
            "form": form,
            "rows": rows,
            "week_start": week_start,
            "week_end": week_start + timedelta(days=6),
            "previous_week": week_start - timedelta(days=7),
            "next_week": week_start + timedelta(days=7),
            "short_count": sum(1 for r in rows if r["shortfall"] > 0),
            "this_week": selectors.monday_of(timezone.localdate()),
        },
    )
