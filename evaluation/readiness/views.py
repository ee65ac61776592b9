"""Readiness pages: the predicted score (office, leader; a supervisor its streets), its one-page PDF, and the office's
estimates for the methods the app does not observe."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.models import Region
from core.exceptions import DomainError, NotPermitted
from core.pages import submit_form
from core.pdf import render_pdf
from core.scope import scope_of
from evaluation.models import Method, ReadinessInput, StandardMethod

from . import charts, scoring, selectors, services
from .forms import ReadinessInputForm

RISK_ROWS = 20


def _region(request):
    """The street of `?region=` (one the user can see), None, or False for bad input."""
    value = request.GET.get("region")
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    ids = selectors.region_ids_for(request.user)
    region = Region.objects.filter(pk=number, level=Region.Level.STREET).first() if 0 < number < 2**31 else None
    if region is None or (ids is not None and region.pk not in ids):
        return False
    return region


def _require_reader(user):
    ids = selectors.region_ids_for(user)
    if ids is not None and not ids:
        raise PermissionDenied(_("The predicted score is for the campaign office, the leaders and the supervisors."))


def readiness_context(user, *, region=None) -> dict:
    data = selectors.readiness(user, region=region)
    totals, projects = selectors.grouped(data, "project")
    _t, contents = selectors.grouped(data, "content")
    _t, streets = selectors.grouped(data, "region")
    trend = selectors.trend(user, region=region)
    return {
        "as_of": data["as_of"],
        "round": data["round"],
        "totals": totals,
        "projects": sorted(projects, key=lambda r: r["code"]),
        "contents": contents[:RISK_ROWS],
        "streets": sorted(streets, key=lambda r: (-(r["share"] or 0), r["code"])),
        "at_risk": selectors.at_risk(data, limit=RISK_ROWS),
        "trend": trend,
        "trend_svg": charts.trend_chart(trend) if trend else "",
        "region": region,
        "methods": dict(Method.choices),
        "settings": {name.lower(): scoring.setting(name) for name in scoring.DEFAULTS},
    }


@login_required
def readiness(request):
    _require_reader(request.user)
    region = _region(request)
    if region is False:
        return HttpResponseBadRequest(_("Choose a street you can see."))
    context = readiness_context(request.user, region=region)
    context["may_enter"] = scope_of(request.user).is_office and not scope_of(request.user).read_only
    return render(request, "evaluation/readiness/readiness.html", context)


@login_required
def readiness_pdf(request):
    _require_reader(request.user)
    region = _region(request)
    if region is False:
        return HttpResponseBadRequest(_("Choose a street you can see."))
    context = readiness_context(request.user, region=region)
    context["at_risk"] = context["at_risk"][:10]  # one A4 page: the ten largest, the trend below
    context["trend_svg"] = charts.trend_chart(context["trend"], height=150) if context["trend"] else ""
    context["generated_at"] = timezone.localtime()
    pdf = render_pdf("evaluation/readiness/pdf/readiness.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="readiness-{context["as_of"]:%Y%m%d}.pdf"'
    return response


def _require_office(user):
    scope = scope_of(user)
    if not scope.is_office or scope.read_only or not scope.sees_everything:
        raise PermissionDenied(_("Only the campaign office may enter readiness estimates."))


@login_required
def readiness_input_list(request):
    _require_office(request.user)
    form = ReadinessInputForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda data: services.readiness_input_set(
            actor=request.user,
            standard=data["standard"],
            method=data["method"],
            share=data["share"],
            note=data["note"],
        ),
        success=_("The estimate is saved."),
        redirect_to=lambda row: reverse("evaluation:readiness_input_list"),
    )
    if done:
        return done
    rows = ReadinessInput.objects.select_related("standard", "set_by").order_by(
        "standard__sort_order", "standard__code"
    )
    entered = ReadinessInput.objects.filter(standard_id=OuterRef("standard_id"), method=OuterRef("method"))
    missing = StandardMethod.objects.filter(method__in=scoring.ESTIMATED).exclude(Exists(entered)).count()
    context = {
        "form": form,
        "rows": rows,
        "missing": missing,
        "default": scoring.setting("ESTIMATE_DEFAULT"),
    }
    return render(request, "evaluation/readiness/input_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def readiness_input_delete(request, pk):
    _require_office(request.user)
    row = ReadinessInput.objects.filter(pk=pk).select_related("standard").first()
    if row is not None:
        try:
            services.readiness_input_clear(actor=request.user, standard=row.standard, method=row.method)
        except (DomainError, NotPermitted) as exc:
            raise PermissionDenied(exc.message) from None
    return redirect("evaluation:readiness_input_list")
