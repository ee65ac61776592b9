"""Pages of the responsibility list (责任清单): the office's list (filters, export, import, edit, 销号), a duty's page,
a unit's "my responsibilities" with its progress, and a unit's three lists (三清单) on one page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import scope_of
from core.views_base import (
    ActionView,
    DetailPage,
    ExportView,
    FormPage,
    ImportPage,
    ListPage,
    OfficeRequiredMixin,
    visible_or_404,
)
from core.xlsx import XLSX_CONTENT_TYPE
from evaluation.models import Responsibility

from . import selectors, services
from .filtersets import ResponsibilityFilterSet
from .forms import ResponsibilityForm


class OfficeOnly(OfficeRequiredMixin):
    office_message = gettext_lazy("Only the campaign office may change the responsibility list.")


def _visible_duty(user, pk) -> Responsibility:
    return visible_or_404(Responsibility, user, pk)


# --- The list, its export and a duty's page -------------------------------------------------------------------


class ResponsibilityList(ListPage):
    model = Responsibility
    selector = staticmethod(selectors.responsibility_list)
    filterset_class = ResponsibilityFilterSet
    template_name = "evaluation/responsibilities/list.html"
    partial_name = "evaluation/responsibilities/_table.html"
    export_url_name = "evaluation:responsibility_export"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.duty_counts(self.filterset.qs)
        return context


class ResponsibilityExport(ExportView):
    model = Responsibility
    selector = staticmethod(selectors.responsibility_list)
    filterset_class = ResponsibilityFilterSet

    def headers(self):
        return services.export_headers()

    def rows(self, queryset):
        return services.export_rows(queryset)

    def filename_stem(self):
        return "责任清单"

    def sheet_title(self):
        return "责任清单"


class ResponsibilityDetail(DetailPage):
    model = Responsibility
    template_name = "evaluation/responsibilities/detail.html"
    context_object_name = "duty"

    def shape(self, queryset):
        return selectors.shape(queryset)

    def get_context_data(self, **kwargs):
        from campaign.selectors import history_entries

        context = super().get_context_data(**kwargs)
        context["history"] = history_entries(self.object)
        context["can_edit"] = scope_of(self.request.user).is_office and not scope_of(self.request.user).read_only
        return context


# --- The office's edits --------------------------------------------------------------------------------------


class ResponsibilityCreate(OfficeOnly, FormPage):
    template_name = "evaluation/responsibilities/form.html"
    form_class = ResponsibilityForm
    title = gettext_lazy("New duty")
    success_message = gettext_lazy("The duty was added to the responsibility list.")

    def get_initial(self):
        return {"standard": self.request.GET.get("standard")}

    def perform(self, data):
        return services.responsibility_create(actor=self.request.user, **data)

    def success_url(self, duty):
        return reverse("evaluation:responsibility_detail", args=[duty.pk])

    def cancel_url(self):
        return reverse("evaluation:responsibility_list")


class ResponsibilityUpdate(OfficeOnly, FormPage):
    template_name = "evaluation/responsibilities/form.html"
    form_class = ResponsibilityForm
    success_message = gettext_lazy("The duty was saved.")
    invalid_status = 400

    def dispatch(self, request, *args, **kwargs):
        self.duty = None
        return super().dispatch(request, *args, **kwargs)

    def get_duty(self):
        if self.duty is None:
            self.duty = _visible_duty(self.request.user, self.kwargs["pk"])
        return self.duty

    def get_initial(self):
        return ResponsibilityForm.initial_for(self.get_duty())

    def get_title(self):
        return _("Edit the duty for %(code)s") % {"code": self.get_duty().standard.code}

    def perform(self, data):
        return services.responsibility_update(actor=self.request.user, responsibility=self.get_duty(), **data)

    def success_url(self, duty):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("evaluation:responsibility_detail", args=[self.get_duty().pk])


class DutyAction(OfficeOnly, ActionView):
    def get_object(self):
        return _visible_duty(self.request.user, self.kwargs["pk"])

    def back_url(self, duty):
        return reverse("evaluation:responsibility_detail", args=[duty.pk])


class ResponsibilityDelete(DutyAction):
    success_message = gettext_lazy("The duty was taken off the list.")

    def act(self, duty):
        return services.responsibility_delete(actor=self.request.user, responsibility=duty)

    def success_url(self, duty, result):
        return reverse("evaluation:responsibility_list")


class ResponsibilityDone(DutyAction):
    success_message = gettext_lazy("The duty is marked done (销号).")

    def act(self, duty):
        return services.responsibility_mark_done(actor=self.request.user, responsibility=duty)


class ResponsibilityReopen(DutyAction):
    success_message = gettext_lazy("The duty is open again.")

    def act(self, duty):
        return services.responsibility_reopen(actor=self.request.user, responsibility=duty)


class ResponsibilityImport(ImportPage):
    template_name = "evaluation/responsibilities/import.html"
    title = gettext_lazy("Import the responsibility list")
    office_message = OfficeOnly.office_message

    def run(self, actor, file):
        return services.responsibility_import(actor=actor, file=file)

    def get_success_message(self):
        return lambda result: (
            _("Imported %(rows)d rows: %(created)d duties added, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "rows": result.details["rows"],
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.details["unchanged"],
            }
        )

    def success_url(self, result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("evaluation:responsibility_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=services.RESPONSIBILITY_COLUMNS, **kwargs)


@login_required
def responsibility_sample(request):
    """The template (.xlsx) offices fill in: the import's columns and two example rows."""
    response = HttpResponse(services.responsibility_sample_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="responsibility-template.xlsx"'
    return response


# --- A unit's pages ------------------------------------------------------------------------------------------


@login_required
def responsibility_mine(request):
    """我的责任清单: the signed-in liaison's unit's duties with its progress. Others go to the list (or a unit's
    三清单 page)."""
    scope = scope_of(request.user)
    if not (scope.is_unit and scope.unit_id):
        return redirect("evaluation:responsibility_list")
    unit = request.user.unit
    duties = selectors.unit_duties(user=request.user, unit=unit)
    return render(
        request,
        "evaluation/responsibilities/mine.html",
        {"unit": unit, "duties": duties, "counts": selectors.duty_counts(duties)},
    )


def _three_lists(request, unit):
    duties = selectors.unit_duties(user=request.user, unit=unit)
    problems = selectors.unit_problems(user=request.user, unit=unit)
    rectifications = selectors.unit_rectifications(user=request.user, unit=unit)
    problem_rows = list(problems[: selectors.LIST_LIMIT])
    rectification_rows = list(rectifications[: selectors.LIST_LIMIT])
    return render(
        request,
        "evaluation/responsibilities/three_lists.html",
        {
            "unit": unit,
            "duties": duties,
            "counts": selectors.duty_counts(duties),
            "problems": problem_rows,
            "problem_count": problems.count() if len(problem_rows) == selectors.LIST_LIMIT else len(problem_rows),
            "overdue_problems": sum(1 for t in problem_rows if t.is_overdue),
            "rectifications": rectification_rows,
            "rectification_count": (
                rectifications.count() if len(rectification_rows) == selectors.LIST_LIMIT else len(rectification_rows)
            ),
            "recent_days": selectors.RECENT_DAYS,
            "own": scope_of(request.user).unit_id == unit.pk,
        },
    )


@login_required
def responsibility_three_lists(request):
    """三清单 of the signed-in liaison's unit; the office and the leader choose a unit on the list."""
    scope = scope_of(request.user)
    if scope.is_unit and scope.unit_id:
        return _three_lists(request, request.user.unit)
    if not scope.is_authenticated or not (scope.sees_everything or scope.is_supervisor):
        raise PermissionDenied(_("This page is for units, the office and the leaders."))
    return redirect("evaluation:responsibility_list")


@login_required
def responsibility_three_lists_unit(request, unit_id):
    """三清单 of one unit chosen by id: the office and the leader any unit, a supervisor the units of its regions,
    a liaison its own (anything else answers 404)."""
    unit = selectors.three_lists_units(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("Unit not found."))
    return _three_lists(request, unit)


responsibility_list = ResponsibilityList.as_view()
responsibility_export = ResponsibilityExport.as_view()
responsibility_detail = ResponsibilityDetail.as_view()
responsibility_create = ResponsibilityCreate.as_view()
responsibility_update = ResponsibilityUpdate.as_view()
responsibility_delete = ResponsibilityDelete.as_view()
responsibility_done = ResponsibilityDone.as_view()
responsibility_reopen = ResponsibilityReopen.as_view()
responsibility_import = ResponsibilityImport.as_view()
