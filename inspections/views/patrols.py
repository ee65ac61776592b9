"""Patrol pages, made for a phone in the street: start, check in near a site, walk the checklist, report
problems (or fix them on the spot), finish."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.pages import show_service_error

from .. import site_selectors as selectors
from .. import site_services as services
from ..models import Category, ChecklistResult, Patrol
from ..site_filtersets import PatrolFilterSet
from ..site_forms import CheckInForm, FixOnSpotForm, PatrolStartForm, ProblemForm
from .sites import paginate


@login_required
def patrol_list(request):
    filterset = PatrolFilterSet(request.GET or None, queryset=selectors.patrol_list(user=request.user), request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page, query, size = paginate(request, queryset)
    context = {
        "filter": filterset,
        "page": page,
        "query": query,
        "page_size": size,
        "can_start": bool(services.patrol_kinds_for(request.user)),
    }
    if request.htmx:
        return render(request, "inspections/patrols/_patrol_table.html", context)
    return render(request, "inspections/patrols/patrol_list.html", context)


@login_required
def patrol_start(request):
    if not services.patrol_kinds_for(request.user):
        raise PermissionDenied(_("You may not start patrols."))
    form = PatrolStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            patrol = services.patrol_start(actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            show_service_error(request, exc)
        else:
            site_id = request.GET.get("site") or request.POST.get("site")
            url = reverse("inspections:patrol_detail", args=[patrol.pk])
            return redirect(f"{url}?site={site_id}" if site_id and site_id.isdecimal() else url)
    return render(
        request, "inspections/patrols/patrol_start.html", {"form": form, "site_id": request.GET.get("site", "")}
    )


@login_required
def patrol_detail(request, pk):
    patrol = selectors.patrol_get_for(user=request.user, pk=pk)
    preselected = None
    site_id = request.GET.get("site")
    if site_id and site_id.isdecimal():
        preselected = selectors.sites_visible_to(request.user).filter(pk=site_id).select_related("site_type").first()
    is_member = (
        request.user.is_office
        or patrol.leader_id == request.user.pk
        or any(m.pk == request.user.pk for m in patrol.members.all())
    )
    return render(
        request,
        "inspections/patrols/patrol_detail.html",
        {
            "patrol": patrol,
            "visits": patrol.visits.all(),
            "is_member": is_member,
            "is_open": patrol.status == Patrol.Status.OPEN,
            "preselected": preselected,
            "is_video": patrol.kind == Patrol.Kind.VIDEO,
            "max_distance": settings.CHECKIN_MAX_DISTANCE_M,
        },
    )


@login_required
@require_POST
def patrol_check_in(request, pk):
    patrol = selectors.patrol_get_for(user=request.user, pk=pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a site to check in."))
        return redirect("inspections:patrol_detail", pk=patrol.pk)
    site = selectors.sites_visible_to(request.user).filter(pk=form.cleaned_data["site"]).first()
    if site is None:
        raise Http404
    try:
        visit = services.patrol_check_in(
            actor=request.user,
            patrol=patrol,
            site=site,
            lat=form.cleaned_data["lat"],
            lng=form.cleaned_data["lng"],
            note=form.cleaned_data["note"],
        )
    except (DomainError, ValidationError) as exc:
        show_service_error(request, exc)
        return redirect("inspections:patrol_detail", pk=patrol.pk)
    if visit.too_far:
        messages.warning(
            request,
            _("You checked in %(distance)d m from the site: the check-in is flagged as too far away.")
            % {"distance": visit.distance_m},
        )
    else:
        messages.success(request, _("Checked in at %(site)s.") % {"site": site.name})
    return redirect("inspections:visit_detail", pk=visit.pk)


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_get_for(user=request.user, pk=pk)
    checklist = list(selectors.site_checklist(visit.site.site_type))
    recorded = {r.standard_id: r for r in visit.results.select_related("ticket")}
    items = [{"standard": s, "result": recorded.get(s.pk)} for s in checklist]
    patrol = visit.patrol
    is_member = (
        request.user.is_office
        or patrol.leader_id == request.user.pk
        or patrol.members.filter(pk=request.user.pk).exists()
    )
    tickets = visit.tickets.select_related("category", "standard").order_by("created_at")
    return render(
        request,
        "inspections/patrols/visit_detail.html",
        {
            "visit": visit,
            "patrol": patrol,
            "items": items,
            "pending": [i for i in items if i["result"] is None],
            "categories": Category.objects.filter(is_active=True).order_by("group", "code"),
            "is_open": patrol.status == Patrol.Status.OPEN and is_member,
            "is_mock": patrol.kind == Patrol.Kind.MOCK_EVALUATION,
            "tickets": tickets,
            "problem_form": ProblemForm(),
            "fix_form": FixOnSpotForm(),
            "Result": ChecklistResult.Result,
        },
    )


@login_required
@require_POST
def visit_results(request, pk):
    visit = selectors.visit_get_for(user=request.user, pk=pk)
    entries = []
    for standard in selectors.site_checklist(visit.site.site_type):
        result = request.POST.get(f"result_{standard.pk}")
        if not result:
            continue
        entries.append(
            {
                "standard": standard.pk,
                "result": result,
                "score": request.POST.get(f"score_{standard.pk}") or None,
                "note": request.POST.get(f"note_{standard.pk}", ""),
                "category": request.POST.get(f"category_{standard.pk}") or None,
                "photos": request.FILES.getlist(f"photos_{standard.pk}"),
            }
        )
    try:
        saved = services.patrol_record_results(actor=request.user, visit=visit, results=entries)
    except (DomainError, ValidationError) as exc:
        show_service_error(request, exc)
    else:
        failed = sum(1 for r in saved if r.result == ChecklistResult.Result.FAIL)
        messages.success(
            request,
            _("%(count)d items recorded; %(failed)d failed items became tickets.")
            % {"count": len(saved), "failed": failed},
        )
    return redirect("inspections:visit_detail", pk=visit.pk)


def _visit_form_action(request, pk, *, form_class, service, success):
    """A problem found during a visit, through a form and one service; errors stay on the visit page."""
    visit = selectors.visit_get_for(user=request.user, pk=pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("inspections:visit_detail", pk=visit.pk)
    try:
        ticket = service(actor=request.user, visit=visit, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, success % {"number": ticket.number})
    return redirect("inspections:visit_detail", pk=visit.pk)


@login_required
@require_POST
def visit_problem(request, pk):
    return _visit_form_action(
        request,
        pk,
        form_class=ProblemForm,
        service=services.patrol_report_problem,
        success=_("Problem %(number)s reported."),
    )


@login_required
@require_POST
def visit_fix(request, pk):
    return _visit_form_action(
        request,
        pk,
        form_class=FixOnSpotForm,
        service=services.patrol_fix_on_spot,
        success=_("Problem %(number)s recorded as fixed on the spot."),
    )


@login_required
@require_POST
def patrol_finish(request, pk):
    patrol = selectors.patrol_get_for(user=request.user, pk=pk)
    try:
        services.patrol_finish(actor=request.user, patrol=patrol, note=request.POST.get("note", ""))
    except (DomainError, ValidationError) as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The patrol is finished."))
    return redirect("inspections:patrol_detail", pk=patrol.pk)


@login_required
def patrol_sheet(request, pk):
    """纪实表: the printable record of a patrol (PDF)."""
    from core.pdf import render_pdf

    from ..models import PatrolVisit

    patrol = selectors.patrol_get_for(user=request.user, pk=pk)
    visits = (
        PatrolVisit.objects.filter(patrol=patrol)
        .select_related("site", "site__site_type", "site__unit", "visitor")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=ChecklistResult.objects.select_related("standard", "ticket").order_by("standard__code"),
            ),
            "tickets",
        )
        .order_by("checked_in_at")
    )
    pdf = render_pdf(
        "inspections/patrols/patrol_sheet.html",
        {
            "patrol": patrol,
            "visits": visits,
            "issuing_body": settings.CAMPAIGN_ISSUING_BODY,
            "printed_at": timezone.localtime(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="patrol-{patrol.pk}.pdf"'
    return response
