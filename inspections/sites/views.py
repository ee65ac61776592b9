"""Pages of sites, site types, problem categories and leaders' visits."""

from datetime import timedelta
from functools import wraps
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.pages import page_size, show_service_error
from core.registry import visible_to
from core.roles import Role
from core.scope import scope_of
from core.views_base import FormActionView, FormPage, ImportPage, ListPage, OfficeRequiredMixin
from core.xlsx import xlsx_response
from inspections.models import Category, ChecklistResult, Patrol, PatrolVisit, SiteType, Ticket
from inspections.sites import selectors, services
from inspections.sites.filtersets import PatrolFilterSet, SiteFilterSet
from inspections.sites.forms import (
    CategoryForm,
    CheckInForm,
    FixOnSpotForm,
    PatrolStartForm,
    ProblemForm,
    SiteForm,
    SiteTypeForm,
    WeekForm,
)


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
            scope = scope_of(request.user)
            if not (scope.is_office or (scope.role in roles and scope.is_authenticated)):
                raise PermissionDenied(_("Your role may not open this page."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- Sites -------------------------------------------------------------------------------------------


class SitesListPage(ListPage):
    """A list of the app's FilterSet over its selector's rows, paged; an htmx request gets only the table.
    Context also has `query` (the filters without the page) and `page_size`."""

    def get_filterset(self):
        return self.filterset_class(
            self.request.GET or None, queryset=self.selector(user=self.request.user), request=self.request
        )

    def filtered(self, filterset):
        return filterset.qs if filterset.is_bound else filterset.queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update({"query": params.urlencode(), "page_size": page_size(self.request)})
        return context


class SiteListPage(SitesListPage):
    selector = staticmethod(selectors.site_list)
    filterset_class = SiteFilterSet
    template_name = "inspections/sites/site_list.html"
    partial_name = "inspections/sites/_site_table.html"


site_list = SiteListPage.as_view()


@login_required
def site_detail(request, pk):
    site = selectors.site_get_for(user=request.user, pk=pk)
    from inspections.tickets.selectors import tickets_visible_to

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
        "can_patrol": bool(services.patrol_kinds_for(request.user)),
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


class SiteImport(ImportPage):
    """The office's site workbook: all rows or none; a refused file lists its bad rows."""

    template_name = "inspections/sites/site_import.html"
    office_message = gettext_lazy("Only the campaign office may do this.")

    def run(self, actor, file):
        return services.site_import(actor=actor, file=file)

    def get_success_message(self):
        return lambda result: (
            _("Imported: %(created)d sites created, %(updated)d updated.")
            % {
                "created": result.created,
                "updated": result.updated,
            }
        )

    def success_url(self, _result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("inspections:site_list")

    def shown_again_status(self, form) -> int:
        return 200  # the page with the form's or the rows' errors answers 200, as it always has

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=services.SITE_COLUMNS, **kwargs)


site_import = SiteImport.as_view()


class OfficeSaveForm(OfficeRequiredMixin, FormPage):
    """Create (no pk) or edit one reference row through its `save` service; the office's only. `object_name` is the
    row's name in the template; the office reads its history beside the form (`with_history`)."""

    office_message = gettext_lazy("Only the campaign office may do this.")
    object_name = ""
    with_history = True

    def get_object(self):
        raise NotImplementedError

    def initial_for(self, obj) -> dict:
        raise NotImplementedError

    def refusal(self):
        self.object = self.get_object() if "pk" in self.kwargs else None
        return None

    def get_form(self):
        return self.form_class(self.request.POST or None, initial=self.initial_for(self.object))

    def get_context_data(self, **kwargs):
        kwargs[self.object_name] = self.object
        if self.with_history:
            kwargs["history"] = _office_history(self.request, self.object)
        return super().get_context_data(**kwargs)


class SiteSave(OfficeSaveForm):
    form_class = SiteForm
    template_name = "inspections/sites/site_form.html"
    object_name = "site"
    with_history = False
    success_message = gettext_lazy("The site was saved.")

    def get_object(self):
        return selectors.site_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def initial_for(self, site):
        return SiteForm.initial_for(site) if site else {"is_active": True}

    def perform(self, data):
        return services.site_save(actor=self.request.user, site=self.object, **data)

    def success_url(self, site):
        return reverse("inspections:site_detail", args=[site.pk])

    def cancel_url(self):
        return reverse("inspections:site_list")


site_create = SiteSave.as_view()
site_edit = SiteSave.as_view()


# --- Site types and categories --------------------------------------------------------------------


@login_required
def site_type_list(request):
    return render(request, "inspections/sites/site_type_list.html", {"site_types": selectors.site_types_with_counts()})


class SiteTypeSave(OfficeSaveForm):
    form_class = SiteTypeForm
    template_name = "inspections/sites/site_type_form.html"
    object_name = "site_type"
    success_message = gettext_lazy("The site type was saved.")

    def get_object(self):
        return get_object_or_404(SiteType, pk=self.kwargs["pk"])

    def initial_for(self, site_type):
        if site_type is None:
            return {}
        standards = list(site_type.standards.values_list("pk", flat=True))
        return {
            "name": site_type.name,
            "code": site_type.code,
            "sort_order": site_type.sort_order,
            "standards": standards,
        }

    def perform(self, data):
        return services.site_type_save(actor=self.request.user, site_type=self.object, **data)

    def success_url(self, _result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("inspections:site_type_list")


site_type_create = SiteTypeSave.as_view()
site_type_edit = SiteTypeSave.as_view()


@login_required
def category_list(request):
    from django.db.models import Count

    categories = Category.objects.annotate(ticket_count=Count("tickets")).order_by("group", "code")
    return render(request, "inspections/sites/category_list.html", {"categories": categories})


class CategorySave(OfficeSaveForm):
    form_class = CategoryForm
    template_name = "inspections/sites/category_form.html"
    object_name = "category"
    success_message = gettext_lazy("The category was saved.")

    def get_object(self):
        return get_object_or_404(Category, pk=self.kwargs["pk"])

    def initial_for(self, category):
        if category is None:
            return {"is_active": True, "deadline_working_days": 3, "severity": Category.Severity.MEDIUM}
        return {f: getattr(category, f) for f in CategoryForm.base_fields}

    def perform(self, data):
        return services.category_save(actor=self.request.user, category=self.object, **data)

    def success_url(self, _result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("inspections:category_list")


category_create = CategorySave.as_view()
category_edit = CategorySave.as_view()


@office_required
@require_POST
def reference_load(request):
    created = services.reference_data_load(actor=request.user)
    messages.success(
        request, _("Defaults loaded: %(site_types)d site types and %(categories)d categories added.") % created
    )
    return redirect(request.POST.get("next") or "inspections:site_type_list")


# --- Leaders' visits ------------------------------------------------------------------------------------


@roles_required(Role.LEADER, Role.SUPERVISOR)
def visit_frequency(request):
    # A GET filter (the week shown), not a POST handler: a bad week shows this week with the form's error.
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


class PatrolListPage(SitesListPage):
    selector = staticmethod(selectors.patrol_list)
    filterset_class = PatrolFilterSet
    template_name = "inspections/patrols/patrol_list.html"
    partial_name = "inspections/patrols/_patrol_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_start"] = bool(services.patrol_kinds_for(self.request.user))
        return context


patrol_list = PatrolListPage.as_view()


class PatrolStart(LoginRequiredMixin, FormPage):
    """Start a patrol of a kind the user may lead; then on to its page (with the site it was started from)."""

    template_name = "inspections/patrols/patrol_start.html"

    def refusal(self):
        if not services.patrol_kinds_for(self.request.user):
            raise PermissionDenied(_("You may not start patrols."))
        return None

    def get_form(self):
        return PatrolStartForm(self.request.POST or None, user=self.request.user)

    def perform(self, data):
        return services.patrol_start(actor=self.request.user, **data)

    def get_success_message(self):
        return None  # the patrol's page is the answer

    def refused(self, exc):
        show_service_error(self.request, exc)  # a page message above the form
        return None

    def success_url(self, patrol):
        site_id = self.request.GET.get("site") or self.request.POST.get("site")
        url = reverse("inspections:patrol_detail", args=[patrol.pk])
        return f"{url}?site={site_id}" if site_id and site_id.isdecimal() else url

    def cancel_url(self):
        return reverse("inspections:patrol_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(site_id=self.request.GET.get("site", ""), **kwargs)


patrol_start = PatrolStart.as_view()


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


class PatrolCheckIn(FormActionView):
    """Check in at a visible site on an open patrol; a check-in too far from the site is kept, with a warning."""

    form_class = CheckInForm
    invalid_message = gettext_lazy("Choose a site to check in.")

    def get_object(self):
        return selectors.patrol_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def act(self, patrol, data):
        site = selectors.sites_visible_to(self.request.user).filter(pk=data["site"]).first()
        if site is None:
            raise Http404
        return services.patrol_check_in(
            actor=self.request.user, patrol=patrol, site=site, lat=data["lat"], lng=data["lng"], note=data["note"]
        )

    def success(self, visit):
        if visit.too_far:
            return messages.WARNING, _(
                "You checked in %(distance)d m from the site: the check-in is flagged as too far away."
            ) % {"distance": visit.distance_m}
        return _("Checked in at %(site)s.") % {"site": visit.site.name}

    def back_url(self, patrol):
        return reverse("inspections:patrol_detail", args=[patrol.pk])

    def success_url(self, patrol, visit):
        return reverse("inspections:visit_detail", args=[visit.pk])


patrol_check_in = PatrolCheckIn.as_view()


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_get_for(user=request.user, pk=pk)
    checklist = list(selectors.site_checklist(visit.site.site_type))
    # A result's ticket shows only when the user sees it (it may since have gone to another unit).
    visible_tickets = visible_to(Ticket, request.user)
    recorded = {r.standard_id: r for r in visit.results.prefetch_related(Prefetch("ticket", queryset=visible_tickets))}
    items = [{"standard": s, "result": recorded.get(s.pk)} for s in checklist]
    patrol = visit.patrol
    is_member = (
        request.user.is_office
        or patrol.leader_id == request.user.pk
        or patrol.members.filter(pk=request.user.pk).exists()
    )
    tickets = visible_tickets.filter(patrol_visit=visit).select_related("category", "standard").order_by("created_at")
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


class VisitFormAction(FormActionView):
    """A problem found during a visit, through a form and one service (`service`); errors stay on the visit page."""

    service = None
    done_message = ""  # with %(number)s, the ticket's number

    def get_object(self):
        return selectors.visit_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def act(self, visit, data):
        return self.service(actor=self.request.user, visit=visit, **data)

    def success(self, ticket):
        return str(self.done_message) % {"number": ticket.number}

    def back_url(self, visit):
        return reverse("inspections:visit_detail", args=[visit.pk])


visit_problem = VisitFormAction.as_view(
    form_class=ProblemForm,
    service=services.patrol_report_problem,
    done_message=gettext_lazy("Problem %(number)s reported."),
)
visit_fix = VisitFormAction.as_view(
    form_class=FixOnSpotForm,
    service=services.patrol_fix_on_spot,
    done_message=gettext_lazy("Problem %(number)s recorded as fixed on the spot."),
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
    from inspections.models import PatrolVisit

    patrol = selectors.patrol_get_for(user=request.user, pk=pk)
    visits = (
        PatrolVisit.objects.filter(patrol=patrol)
        .select_related("site", "site__site_type", "site__unit", "visitor")
        .prefetch_related(
            Prefetch(
                "results",
                # The sheet prints only the ticket numbers the user sees (None for the others).
                queryset=ChecklistResult.objects.select_related("standard")
                .prefetch_related(Prefetch("ticket", queryset=visible_to(Ticket, request.user)))
                .order_by("standard__code"),
            ),
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
