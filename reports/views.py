"""Pages: the dashboards, the bulletin archive (with htmx status polling), a bulletin, its PDF, the schedule.
Views parse input, call one service or selector, and shape the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from core.exceptions import DomainError, NotInScope
from core.pages import show_service_error, submit_form
from core.registry import visible_to
from core.scope import scope_of
from core.views_base import ActionView, FormPage, ListPage, OfficeRequiredMixin

from . import dashboards, selectors, services
from .filtersets import BulletinFilterSet
from .forms import BulletinRequestForm, ScheduleForm
from .models import Bulletin

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _url(name, *args, query: str = ""):
    """The URL of another app's page, or None while that page does not exist yet."""
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def _domain_error_page(request, exc: DomainError, fallback: str):
    if isinstance(exc, NotInScope):
        raise Http404(exc.message)
    messages.error(request, exc.message)
    return redirect(fallback)


# --- Dashboards ---------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """The landing page after sign-in: what each role needs first."""
    today = timezone.localdate()
    scope = scope_of(request.user)
    context = {
        "scope": scope,
        "role": scope.role,
        "today": today,
        "latest_bulletins": selectors.latest_published(limit=5),
        "links": {
            "tickets": _url("inspections:ticket_list"),
            "overdue": _url("inspections:ticket_list", query="overdue=true"),
            "reported": _url("inspections:ticket_list", query="status=reported"),
            "map_wall": _url("inspections:map_wall"),
            "verify_queue": _url("inspections:verify_queue"),
            "unit_inbox": _url("inspections:unit_inbox"),
            "visit_frequency": _url("inspections:visit_frequency"),
            "bulletins": reverse("reports:bulletin_list"),
        },
    }
    if scope.is_office:
        context.update(dashboards.office_dashboard(today=today))
        context["ledgers"] = [
            (label, url)
            for label, url in (
                (_("Tickets"), _url("inspections:ticket_list")),
                (_("Sites"), _url("inspections:site_list")),
                (_("Patrols"), _url("inspections:patrol_list")),
                (_("Units"), _url("campaign:unit_list")),
                (_("Assignments"), _url("campaign:assignment_list")),
                (_("Volunteers"), _url("volunteers:volunteer_list")),
                (_("Volunteer activities"), _url("volunteers:activity_list")),
                (_("Publicity assets"), _url("publicity:asset_list")),
                (_("Bulletins"), reverse("reports:bulletin_list")),
            )
            if url
        ]
        for row in context["overdue_by_unit"]:
            row["url"] = _url("inspections:ticket_list", query=f"unit={row['id']}&overdue=true")
    elif scope.is_leader:
        context.update(dashboards.leader_dashboard(user=request.user, today=today))
        from . import charts, figures

        context["trend_svg"] = charts.trend_chart(figures.trend_weeks(end_week_start=figures.monday_of(today)))
    else:
        context["queue"] = dashboards.queue_counts(user=request.user, today=today)
        if scope.is_unit:
            context["standing"] = dashboards.unit_standing(unit_id=request.user.unit_id)
    return render(request, "reports/dashboard.html", context)


# --- The archive ---------------------------------------------------------------------------------------


def _page_size(request):
    try:
        size = int(request.GET.get("page_size", PAGE_SIZE))
    except ValueError:
        size = PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))


class BulletinListPage(ListPage):
    """The archive, filtered and paged; the office's request form above it. An htmx request (filters, paging, the
    status polling) gets only the table."""

    selector = staticmethod(selectors.bulletin_list)
    filterset_class = BulletinFilterSet
    template_name = "reports/bulletin_list.html"
    partial_name = "reports/_bulletin_table.html"
    export_url_name = "reports:bulletin_export"

    def filtered(self, filterset):
        # A malformed filter shows the whole archive (the form shows its errors).
        return filterset.qs if filterset.is_bound and filterset.is_valid() else self.visible_queryset()

    def get_paginate_by(self, queryset):
        return _page_size(self.request)

    def get_template_names(self):
        return [self.partial_name if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None)
        context = super().get_context_data(**kwargs)
        rows = list(context["page"].object_list)
        context.update(
            {
                "rows": rows,
                "polling": any(row.is_in_progress for row in rows),
                "form": form or (BulletinRequestForm() if self.request.user.is_office else None),
                "query": self.request.GET.urlencode(),
                "paged_query": "&".join(f"{k}={v}" for k, v in self.request.GET.items() if k != "page"),
            }
        )
        return context

    @classmethod
    def refused(cls, request, form):
        """The archive again with the office's refused request form, status 400 (bulletin_generate)."""
        page = cls(request=request, args=(), kwargs={})
        page.object_list = page.get_queryset()
        return page.render_to_response(page.get_context_data(form=form), status=400)


bulletin_list = BulletinListPage.as_view()


@login_required
def bulletin_export(request):
    """The archive as a ledger (.xlsx): the rows the list shows, with the same filters."""
    from core.xlsx import xlsx_response

    queryset = selectors.bulletin_list(user=request.user, filters=request.GET)
    kinds, statuses = dict(Bulletin.Kind.choices), dict(Bulletin.Status.choices)
    rows = (
        (
            str(kinds[b["kind"]]),
            b["year"],
            b["number"],
            b["revision"],
            b["title"],
            b["period_start"],
            b["period_end"],
            str(statuses[b["status"]]),
            b["published_at"],
            b["issuing_body"],
        )
        for b in queryset.values(
            "kind",
            "year",
            "number",
            "revision",
            "title",
            "period_start",
            "period_end",
            "status",
            "published_at",
            "issuing_body",
        ).iterator()
    )
    headers = [
        _("Kind"),
        _("Year"),
        _("Issue"),
        _("Revision"),
        _("Title"),
        _("Period start"),
        _("Period end"),
        _("Status"),
        _("Published at"),
        _("Issuing body"),
    ]
    return xlsx_response(filename=_("bulletins.xlsx"), headers=headers, rows=rows, sheet_title=_("Bulletins"))


@require_POST
@login_required
def bulletin_generate(request):
    form = BulletinRequestForm(request.POST)
    if not request.user.is_office:
        raise_forbidden(_("Only the campaign office may generate or publish bulletins."))

    def refused(exc):
        # A ValidationError lands on the request form (the archive shown again); any other refusal is a message.
        if isinstance(exc, DomainError):
            return _domain_error_page(request, exc, "reports:bulletin_list")
        show_service_error(request, exc, form)
        return None

    done = submit_form(
        request,
        form,
        lambda data: services.bulletin_request(actor=request.user, **data),
        success=lambda bulletin: (
            _("%(title)s: issue %(number)d is being generated.")
            % {"title": bulletin.get_kind_display(), "number": bulletin.number}
        ),
        redirect_to=lambda bulletin: reverse("reports:bulletin_detail", args=[bulletin.pk]),
        refused=refused,
    )
    if done:
        return done
    messages.error(request, _("Please correct the errors below."))
    return BulletinListPage.refused(request, form)


def raise_forbidden(message):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied(message)


# --- One bulletin ----------------------------------------------------------------------------------------


def _bulletin_or_404(request, pk):
    try:
        return selectors.bulletin_get_for(user=request.user, pk=pk)
    except NotInScope as exc:
        raise Http404(exc.message) from None


@login_required
def bulletin_detail(request, pk):
    bulletin = _bulletin_or_404(request, pk)
    context = {"bulletin": bulletin, "f": bulletin.figures or {}}
    if request.htmx and request.GET.get("part") == "status":
        response = render(request, "reports/_bulletin_status.html", context)
        if not bulletin.is_in_progress:
            response["HX-Refresh"] = "true"  # the figures, charts and preview appear with the whole page
        return response
    from . import charts

    figures = bulletin.figures or {}
    context["trend_svg"] = charts.trend_chart(figures["trend"]) if figures.get("trend") else ""
    context["category_svg"] = charts.category_chart(figures["categories"]) if figures.get("categories") else ""
    if request.user.is_office:
        context["events"] = bulletin.events.select_related("actor").order_by("created_at", "id")
        context["revisions"] = (
            visible_to(Bulletin, request.user)
            .filter(kind=bulletin.kind, year=bulletin.year, number=bulletin.number)
            .exclude(pk=bulletin.pk)
            .order_by("-revision")
        )
    return render(request, "reports/bulletin_detail.html", context)


@xframe_options_sameorigin  # the detail page previews the draft in an iframe
@login_required
def bulletin_pdf(request, pk):
    """The PDF inline (opens in the browser); ?download=1 as an attachment."""
    bulletin = _bulletin_or_404(request, pk)
    if not bulletin.pdf:
        raise Http404(_("This bulletin has no PDF yet."))
    filename = f"{bulletin.get_kind_display()}-{bulletin.year}-{bulletin.number:03d}"
    if bulletin.revision > 1:
        filename += f"-r{bulletin.revision}"
    return FileResponse(
        bulletin.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{filename}.pdf",
        as_attachment=request.GET.get("download") == "1",
    )


class BulletinAction(ActionView):
    """A button on a bulletin's page: publish, retry, regenerate."""

    def get_object(self):
        return _bulletin_or_404(self.request, self.kwargs["pk"])

    def back_url(self, bulletin):
        return reverse("reports:bulletin_detail", args=[bulletin.pk])


class BulletinPublish(BulletinAction):
    success_message = gettext_lazy("Published. Leaders and units have been notified.")

    def act(self, bulletin):
        return services.bulletin_publish(actor=self.request.user, bulletin=bulletin)


class BulletinRetry(BulletinAction):
    success_message = gettext_lazy("Queued again.")

    def act(self, bulletin):
        return services.bulletin_retry(actor=self.request.user, bulletin=bulletin)


class BulletinRegenerate(BulletinAction):
    """A new revision of the same number, made from today's data (the earlier one stays as it was)."""

    def act(self, bulletin):
        revision = (
            services.bulletin_request(
                actor=self.request.user, kind=bulletin.kind, period_start=bulletin.period_start, regenerate=True
            )
            if bulletin.kind != Bulletin.Kind.SPECIAL
            else None
        )
        if revision is None:
            raise DomainError(_("A special report is not regenerated: request a new one instead."))
        return revision

    def success_url(self, bulletin, revision):
        return reverse("reports:bulletin_detail", args=[revision.pk])


bulletin_publish = BulletinPublish.as_view()
bulletin_retry = BulletinRetry.as_view()
bulletin_regenerate = BulletinRegenerate.as_view()


# --- The schedule ---------------------------------------------------------------------------------------


class SchedulePage(OfficeRequiredMixin, FormPage):
    """The office moves the daily, weekly and monthly jobs (Asia/Shanghai); the admin has the full rows."""

    form_class = ScheduleForm
    template_name = "reports/schedule.html"
    office_message = gettext_lazy("Only the campaign office may change the bulletin schedule.")
    success_message = gettext_lazy("The bulletin schedule has been saved.")
    invalid_status = 400

    def dispatch(self, request, *args, **kwargs):
        self.current = None
        return super().dispatch(request, *args, **kwargs)

    def current_times(self):
        if self.current is None:
            self.current = services.schedule_times()
        return self.current

    def get_initial(self):
        current = self.current_times()
        return {k: current.get(k) for k in ("daily", "weekly", "monthly")}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("current", self.current_times())
        return super().get_context_data(**kwargs)

    def perform(self, data):
        return services.schedule_update(actor=self.request.user, **data)

    def cancel_url(self):
        return reverse("reports:bulletin_list")

    def success_url(self, result):
        return reverse("reports:schedule")


schedule = SchedulePage.as_view()
