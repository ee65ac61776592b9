"""Completeness pages: the office's (and leader's) figures of the whole city, a unit's own (the same page, scoped by
the registry), their .xlsx exports, and the material packages (office starts one, office and leader download)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from campaign.models import Unit
from core.exceptions import NotInScope, NotPermitted
from core.pages import paginate
from core.registry import get_visible, visible_to
from core.scope import scope_of
from core.xlsx import xlsx_response
from evaluation.models import EvaluationItem, MaterialPackage

from . import package as packages
from . import selectors

TABLE_ROWS = 50  # each table on the page shows the weakest 50; the export has them all
OVERDUE_ROWS = 20


def _id(value):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return number if 0 < number < 2**31 else False


def _filters(request):
    """The drill-down (`unit`, `item`) as rows the user may see, or a 400 message."""
    unit_id, item_id = _id(request.GET.get("unit")), _id(request.GET.get("item"))
    if unit_id is False or item_id is False:
        return None, None, _("Choose a unit or an evaluation item from the tables.")
    try:
        unit = get_visible(Unit, request.user, pk=unit_id) if unit_id else None
        item = get_visible(EvaluationItem, request.user, pk=item_id) if item_id else None
    except NotInScope as exc:
        raise Http404(exc.message) from None
    return unit, item, None


def _query(unit, item, **extra):
    from urllib.parse import urlencode

    params = {
        k: v for k, v in {"unit": unit.pk if unit else None, "item": item.pk if item else None, **extra}.items() if v
    }
    return urlencode(params)


@login_required
def completeness(request):
    unit, item, error = _filters(request)
    if error:
        return HttpResponseBadRequest(error)
    today = timezone.localdate()
    user = request.user
    totals, projects = selectors.grouped(
        user=user, group_by="project", unit=unit, item=item, today=today, with_totals=True
    )
    tables = {"project": projects} | {
        group: selectors.grouped(user=user, group_by=group, unit=unit, item=item, today=today)
        for group in ("content", "unit", "standard")
    }
    context = {
        "totals": totals,
        "tables": {group: rows[:TABLE_ROWS] for group, rows in tables.items()},
        "table_counts": {group: len(rows) for group, rows in tables.items()},
        "table_rows": TABLE_ROWS,
        "overdue": selectors.overdue_pairs(user=user, today=today, limit=OVERDUE_ROWS, unit=unit),
        "unit": unit,
        "item": item,
        "query": _query(unit, item),
        "today": today,
        "own_unit": scope_of(user).is_unit,
        "may_package": scope_of(user).sees_everything,
    }
    return render(request, "evaluation/completeness/completeness.html", context)


EXPORT_TITLES = {
    "project": "Completeness by project",
    "content": "Completeness by content",
    "unit": "Completeness by unit",
    "standard": "Completeness by standard",
}


@login_required
def completeness_export(request):
    group_by = request.GET.get("table") or "unit"
    if group_by not in selectors.GROUPS:
        return HttpResponseBadRequest(_("Group by unit, standard, content or project."))
    unit, item, error = _filters(request)
    if error:
        return HttpResponseBadRequest(error)
    rows = selectors.grouped(user=request.user, group_by=group_by, unit=unit, item=item)
    headers = [
        _("Code"),
        _("Name"),
        pgettext("material pairs", "Required"),
        _("Submitted"),
        _("Accepted"),
        _("Returned"),
        _("Overdue"),
        _("Late"),
        _("Points at risk"),
        _("Accepted share"),
    ]
    values = (
        (
            r["code"],
            r["name"],
            r["required"],
            r["submitted"],
            r["accepted"],
            r["returned"],
            r["overdue"],
            r["late"],
            r["points_at_risk"],
            r["accepted_rate"],
        )
        for r in rows
    )
    title = _(EXPORT_TITLES[group_by])
    return xlsx_response(
        filename=f"{title}-{timezone.localdate():%Y%m%d}.xlsx", headers=headers, rows=values, sheet_title=title
    )


# --- Packages ------------------------------------------------------------------------------------------


def _require_package_reader(user):
    if not scope_of(user).sees_everything:
        raise PermissionDenied(_("Only the campaign office and the leaders may see the material packages."))


@login_required
def package_list(request):
    _require_package_reader(request.user)
    rows = visible_to(MaterialPackage, request.user).select_related("created_by")
    page = paginate(request, rows)
    context = {
        "page": page,
        "rows": page.object_list,
        "may_build": scope_of(request.user).is_office and not scope_of(request.user).read_only,
        "accepted_files": packages.accepted_files().count(),
    }
    return render(request, "evaluation/completeness/package_list.html", context)


@login_required
def package_detail(request, pk):
    try:
        row = packages.package_for(request.user, pk)
    except NotInScope as exc:
        raise Http404(exc.message) from None
    if getattr(request, "htmx", False):
        return render(request, "evaluation/completeness/_package_row.html", {"p": row})
    return render(request, "evaluation/completeness/package_detail.html", {"p": row})


@login_required
@require_POST
def package_create(request):
    try:
        packages.package_request(actor=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("The package is being built; this page shows its progress."))
    return redirect("evaluation:package_list")
