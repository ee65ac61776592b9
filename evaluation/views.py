"""Pages of the evaluation system. The responsibility list and material review have their own view modules
(`responsibility_views.py`, `material_views.py`) wired in urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.forms import XlsxUploadForm
from core.views_base import ImportPage, OfficeRequiredMixin
from core.xlsx import XLSX_CONTENT_TYPE

from . import selectors, services


def tree_context() -> dict:
    return {
        "tree": selectors.evaluation_tree(),
        "counts": selectors.evaluation_counts(),
        "columns": services.EVALUATION_COLUMNS,
    }


@login_required
def item_tree(request):
    return render(request, "evaluation/item_tree.html", {**tree_context(), "form": XlsxUploadForm()})


class ItemImport(ImportPage):
    """The evaluation system from an office's sheet (the tree page, shown again with the row errors)."""

    template_name = "evaluation/item_tree.html"
    http_method_names = ["post"]

    def run(self, actor, file):
        return services.evaluation_import(actor=actor, file=file)

    def get_success_message(self):
        return lambda result: (
            _("Imported %(standards)d standards: %(created)d items created, %(updated)d updated.")
            % {
                "standards": result.details["standards"],
                "created": result.created,
                "updated": result.updated,
            }
        )

    def cancel_url(self):
        return reverse("evaluation:item_tree")

    def success_url(self, result):
        return self.cancel_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**tree_context(), **kwargs)


@login_required
def item_sample(request):
    response = HttpResponse(services.evaluation_sample_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="evaluation-sample.xlsx"'
    return response


class ItemLoadSample(OfficeRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        from inspections.sites.services import reference_data_load

        reference_data_load(actor=request.user)
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
        return redirect("evaluation:item_tree")


item_import = ItemImport.as_view()
item_load_sample = ItemLoadSample.as_view()
