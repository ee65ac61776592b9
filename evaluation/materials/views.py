"""Pages of material review (材料申报与审核): the office's requirements, a unit's material page (what it owes and the
upload form), a submission with its files, versions and history, and the reviewer's queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import NotInScope, NotPermitted
from core.registry import get_visible
from core.scope import scope_of
from core.views_base import (
    ActionView,
    DetailPage,
    FormActionView,
    FormPage,
    ListPage,
    OfficeRequiredMixin,
)
from evaluation.models import MaterialFile, MaterialRequirement, MaterialSubmission

from . import selectors, services
from .filtersets import MaterialRequirementFilterSet, MaterialSubmissionFilterSet
from .forms import AddFilesForm, EmptyForm, NoteForm, RequirementForm, ReturnForm, SubmissionUploadForm

T = "evaluation/materials/"


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- requirements -------------------------------------------------------------------------------------------


class RequirementList(ListPage):
    model = MaterialRequirement
    selector = staticmethod(selectors.requirement_list)
    filterset_class = MaterialRequirementFilterSet
    template_name = T + "requirement_list.html"
    partial_name = T + "_requirement_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_of(self.request.user)
        context.update(
            can_edit=scope.is_office and not scope.read_only,
            query=_query_without_page(self.request),
            today=selectors.local_today(),
        )
        return context


class RequirementFormPage(OfficeRequiredMixin, FormPage):
    form_class = RequirementForm
    template_name = T + "requirement_form.html"
    office_message = gettext_lazy("Only the campaign office may set material requirements.")

    def success_url(self, result) -> str:
        return reverse("evaluation:material_requirement_detail", args=[result.pk])


class RequirementCreate(RequirementFormPage):
    title = gettext_lazy("New material requirement")
    success_message = gettext_lazy("The material requirement was saved.")

    def get_initial(self):
        start, end = services.default_window()
        initial = {"window_start": start, "window_end": end, "kind": MaterialRequirement.Kind.POLICY}
        standard = self.request.GET.get("standard")
        if standard and standard.isdigit():
            initial["standard"] = int(standard)
        return initial

    def cancel_url(self) -> str:
        return reverse("evaluation:material_requirement_list")

    def perform(self, data):
        values = dict(data)
        if not values.get("units"):
            values["units"] = None  # the standard's responsible units
        return services.requirement_create(actor=self.request.user, **values)


class RequirementEdit(RequirementFormPage):
    title = gettext_lazy("Edit material requirement")
    success_message = gettext_lazy("The material requirement was saved.")
    invalid_status = 400

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_visible(MaterialRequirement, request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        r = self.object
        return {
            "standard": r.standard_id,
            "kind": r.kind,
            "title": r.title,
            "description": r.description,
            "window_start": r.window_start,
            "window_end": r.window_end,
            "due_date": r.due_date,
            "units": list(r.units.values_list("pk", flat=True)),
        }

    def cancel_url(self) -> str:
        return reverse("evaluation:material_requirement_detail", args=[self.kwargs["pk"]])

    def perform(self, data):
        values = dict(data)
        if values.get("due_in_working_days") is not None:
            values.pop("due_date", None)
        else:
            values.pop("due_in_working_days", None)
        values["units"] = list(values["units"]) or None
        return services.requirement_update(actor=self.request.user, requirement=self.object, **values)


def _404_on_not_in_scope(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotInScope as exc:
            raise Http404(exc.message) from None

    return wrapped


class RequirementDetail(DetailPage):
    model = MaterialRequirement
    template_name = T + "requirement_detail.html"
    context_object_name = "requirement"

    def shape(self, queryset):
        return queryset.select_related("standard", "standard__parent", "standard__parent__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requirement = self.object
        today = selectors.local_today()
        rows = selectors.requirement_unit_rows(requirement=requirement, user=self.request.user)
        for row in rows:
            row.overdue = selectors.is_overdue(requirement=requirement, submission=row.current, today=today)
        scope = scope_of(self.request.user)
        context.update(
            rows=rows,
            can_edit=scope.is_office and not scope.read_only,
            is_past_due=requirement.due_date < today,
        )
        return context


# --- a unit's material page ---------------------------------------------------------------------------------


@login_required
def unit_material(request):
    """材料申报: what the signed-in unit owes, with due dates, the status of its current versions and the upload form.
    Other roles work from the requirement list and the review queue."""
    scope = scope_of(request.user)
    if not scope.is_unit or not scope.unit_id:
        return redirect("evaluation:material_requirement_list")
    obligations = selectors.unit_obligations(unit_id=scope.unit_id)
    counts = {
        "owed": sum(1 for o in obligations if o.status in ("", "draft", "returned")),
        "submitted": sum(1 for o in obligations if o.status == "submitted"),
        "accepted": sum(1 for o in obligations if o.status == "accepted"),
        "overdue": sum(1 for o in obligations if o.overdue),
    }
    return render(
        request,
        T + "unit_material.html",
        {
            "obligations": obligations,
            "counts": counts,
            "unit": request.user.unit,
            "form": SubmissionUploadForm(),
            "read_only": scope.read_only,
        },
    )


# --- submissions --------------------------------------------------------------------------------------------


class SubmissionList(ListPage):
    model = MaterialSubmission
    selector = staticmethod(selectors.submission_list)
    filterset_class = MaterialSubmissionFilterSet
    template_name = T + "submission_list.html"
    partial_name = T + "_submission_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(query=_query_without_page(self.request), title=_("Material submissions"), queue=False)
        return context


class ReviewQueue(SubmissionList):
    """Submitted versions awaiting review that this user may review, oldest first."""

    selector = staticmethod(selectors.review_queue)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Material review queue"), queue=True)
        return context


class SubmissionDetail(DetailPage):
    model = MaterialSubmission
    template_name = T + "submission_detail.html"
    context_object_name = "submission"

    def get_object(self, queryset=None):
        return selectors.submission_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except NotInScope as exc:
            raise Http404(exc.message) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        user = self.request.user
        actions = selectors.submission_actions(user=user, submission=submission)
        context.update(
            requirement=submission.requirement,
            files=selectors.submission_files(submission),
            versions=selectors.submission_versions(user=user, submission=submission),
            events=selectors.submission_events(submission),
            actions=actions,
            can_edit="edit" in actions,
            upload_form=SubmissionUploadForm(),
            return_form=ReturnForm(),
            note_form=NoteForm(),
            overdue=selectors.is_overdue(requirement=submission.requirement, submission=submission)
            and submission.is_current,
            today=selectors.local_today(),
        )
        return context


class SubmissionAction(FormActionView):
    """A button or small form on a submission's page: one service. A role refusal is a 403, out of scope a 404."""

    form_class = EmptyForm
    action_name = None  # checked (scope, role, state) before the form is read

    def post(self, request, *args, **kwargs):
        if self.action_name:
            obj = self.get_object()
            refusal = selectors.submission_action_refusal(user=request.user, submission=obj, action=self.action_name)
            if refusal:
                error, message = refusal
                return self.refused(obj, error(message))
        return super().post(request, *args, **kwargs)

    def get_object(self):
        if getattr(self, "_object", None) is None:
            try:
                self._object = selectors.submission_detail(user=self.request.user, pk=self.kwargs["pk"])
            except NotInScope as exc:
                raise Http404(exc.message) from None
        return self._object

    def back_url(self, obj) -> str:
        return reverse("evaluation:material_submission_detail", args=[obj.pk])

    def success_url(self, obj, result) -> str:
        target = result if isinstance(result, MaterialSubmission) else obj
        return reverse("evaluation:material_submission_detail", args=[target.pk])

    def refused(self, obj, exc):
        if isinstance(exc, NotPermitted):
            raise PermissionDenied(exc.message)
        if isinstance(exc, NotInScope):
            raise Http404(exc.message)
        return super().refused(obj, exc)


class SubmissionCreate(SubmissionAction):
    """The unit's upload form (from its material page): a draft with files and a note; `submit` in the POST sends it
    for review at once."""

    form_class = SubmissionUploadForm

    def get_object(self):
        try:
            return get_visible(MaterialRequirement, self.request.user, pk=self.kwargs["pk"])
        except NotInScope as exc:
            raise Http404(exc.message) from None

    def back_url(self, obj) -> str:
        return self.request.POST.get("next") if self._safe_next() else reverse("evaluation:material_unit")

    def _safe_next(self) -> bool:
        from django.utils.http import url_has_allowed_host_and_scheme

        target = self.request.POST.get("next") or ""
        return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()})

    def act(self, obj, data):
        submission = services.submission_create(
            actor=self.request.user, requirement=obj, note=data["note"], files=data["files"]
        )
        if self.request.POST.get("submit"):
            submission = services.submission_submit(actor=self.request.user, submission=submission)
        return submission

    def success(self, result):
        return _submit_message(result) if result.status == "submitted" else _("Saved as a draft: submit it when ready.")


def _submit_message(submission):
    if submission.is_late:
        return (
            messages.WARNING,
            _("Submitted after the due date (%(due)s): it will be reviewed, but it is marked late.")
            % {"due": submission.requirement.due_date.isoformat()},
        )
    return _("Submitted for review.")


class SubmissionAddFiles(SubmissionAction):
    action_name = "edit"
    form_class = AddFilesForm
    success_message = gettext_lazy("Files added.")

    def act(self, obj, data):
        return services.submission_add_files(actor=self.request.user, submission=obj, files=data["files"])

    def success_url(self, obj, result) -> str:
        return self.back_url(obj)


class SubmissionRemoveFile(ActionView):
    success_message = gettext_lazy("File removed.")

    def get_object(self):
        from core.registry import visible_to

        row = visible_to(MaterialFile, self.request.user).filter(
            pk=self.kwargs["file_pk"], submission=self.kwargs["pk"]
        )
        found = row.select_related("submission").first()
        if found is None:
            raise Http404(_("File not found."))
        return found

    def back_url(self, obj) -> str:
        return reverse("evaluation:material_submission_detail", args=[obj.submission_id])

    def act(self, obj):
        return services.submission_remove_file(actor=self.request.user, file=obj)


class SubmissionSubmit(SubmissionAction):
    action_name = "submit"
    form_class = NoteForm

    def act(self, obj, data):
        return services.submission_submit(actor=self.request.user, submission=obj, note=data["note"])

    def success(self, result):
        return _submit_message(result)


class SubmissionAccept(SubmissionAction):
    action_name = "accept"
    form_class = NoteForm
    success_message = gettext_lazy("Accepted.")

    def act(self, obj, data):
        return services.submission_accept(actor=self.request.user, submission=obj, note=data["note"])


class SubmissionReturn(SubmissionAction):
    action_name = "return"
    form_class = ReturnForm
    success_message = gettext_lazy("Returned to the unit with the reason.")

    def act(self, obj, data):
        return services.submission_return(actor=self.request.user, submission=obj, reason=data["reason"])


class SubmissionResubmit(SubmissionAction):
    action_name = "resubmit"
    form_class = SubmissionUploadForm
    success_message = gettext_lazy("A new version was started: add the files and submit it.")

    def act(self, obj, data):
        return services.submission_resubmit(
            actor=self.request.user, submission=obj, note=data["note"], files=data["files"]
        )


requirement_list = RequirementList.as_view()
requirement_create = RequirementCreate.as_view()
requirement_edit = _404_on_not_in_scope(RequirementEdit.as_view())
requirement_detail = RequirementDetail.as_view()
submission_list = SubmissionList.as_view()
review_queue = ReviewQueue.as_view()
submission_detail = SubmissionDetail.as_view()
submission_create = SubmissionCreate.as_view()
submission_add_files = SubmissionAddFiles.as_view()
submission_remove_file = SubmissionRemoveFile.as_view()
submission_submit = SubmissionSubmit.as_view()
submission_accept = SubmissionAccept.as_view()
submission_return = SubmissionReturn.as_view()
submission_resubmit = SubmissionResubmit.as_view()
