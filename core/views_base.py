"""The office's pages from one base (Django's class-based generic views): a list with its filters, paging and htmx
partial; its export with the same filters; a detail page; and a create/edit form whose POST half is one service call
(core.pages.submit_form). An app's page names its model, its visible rows, its filters and its templates; nothing
else is written twice.

Visible rows come from `core.registry.visible_to(model, user)` once the model is registered; until then the page
names its app's visibility function (`visible = staticmethod(selectors.units_visible_to)`)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, View
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from core import registry
from core.exceptions import DomainError, NotInScope, NotPermitted
from core.pages import PAGE_SIZES, page_size, show_service_error, submit_form
from core.xlsx import xlsx_response


def visible_or_404(model, user, pk):
    """The row for a page (core.registry.get_visible), or the page's 404 with the model's not-found message."""
    try:
        return registry.get_visible(model, user, pk=pk)
    except NotInScope as exc:
        raise Http404(exc.message) from None


def visible_rows(model, user, visible=None):
    """The rows of `model` the user may see: the registered scope rule, or the app's own function until then."""
    if model in registry.REGISTRY:
        return registry.visible_to(model, user)
    if visible is None:
        raise LookupError(f"{model.__name__} is not registered and the view names no visibility function")
    return visible(user)


class OfficeRequiredMixin(LoginRequiredMixin):
    """Signed in (else the sign-in page), and the campaign office (else 403 with `office_message`)."""

    office_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_office:
            raise PermissionDenied(self.office_message)
        return super().dispatch(request, *args, **kwargs)


class VisibleRowsMixin:
    """`model` and, until it is registered, `visible` (a function of the user); or `selector`, the app's list
    selector (`selector(user=)`: the visible rows already shaped for a list)."""

    model = None
    visible = None
    selector = None

    def visible_queryset(self):
        if self.selector is not None:
            return self.selector(user=self.request.user)
        return visible_rows(self.model, self.request.user, self.visible)


class FilteredMixin(VisibleRowsMixin):
    """The FilterSet over the visible rows, the same for a list and its export."""

    filterset_class = None
    bind_empty_query = False  # True: a FilterSet bound to an empty query string too (its form shows no errors)

    def get_filterset(self):
        data = self.request.GET if self.bind_empty_query else (self.request.GET or None)
        return self.filterset_class(data, queryset=self.visible_queryset(), request=self.request)

    def filtered(self, filterset):
        """The rows of the filtered set, shaped for the page (select_related and annotations: no N+1)."""
        return filterset.qs


class ListPage(LoginRequiredMixin, FilteredMixin, ListView):
    """A paged, filtered list; an htmx request (filters, paging) gets only the table (`partial_name`).
    Context: `filter`, `page`, `page_sizes`, `export_url` (when `export_url_name` names the export)."""

    partial_name = None
    export_url_name = None
    page_kwarg = "page"

    def get_queryset(self):
        self.filterset = self.get_filterset()
        return self.filtered(self.filterset)

    def get_paginate_by(self, queryset):
        return page_size(self.request)

    def paginate_queryset(self, queryset, page_size):
        # An out-of-range or malformed ?page= shows the nearest page, as core.pages.paginate does.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", False)
        if htmx and not htmx.boosted and self.partial_name:
            return [self.partial_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "filter": self.filterset,
                "filterset": self.filterset,
                "page": context["page_obj"],
                "page_sizes": PAGE_SIZES,
                "export_url": reverse(self.export_url_name) if self.export_url_name else None,
            }
        )
        return context


class ListWithFormPage(ListPage):
    """A list with its add form on the same page (`form_class`): POST goes through core.pages.submit_form like a
    FormPage; when the form is refused the list is shown again with the form and its errors."""

    form_class = None
    success_message = ""

    def get_form(self):
        return self.form_class(self.request.POST or None)

    def perform(self, data):
        raise NotImplementedError

    def success_url(self, result) -> str:
        return result.get_absolute_url()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()  # None: this user may not add (the list is shown again)
        if form is not None:
            # str(): the message in the request's language now (a lazy one is rendered after the language is reset)
            done = submit_form(
                request, form, self.perform, success=str(self.success_message), redirect_to=self.success_url
            )
            if done:
                return done
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


class ExportView(LoginRequiredMixin, FilteredMixin, View):
    """The list's rows, filtered the same way, as an .xlsx download (core.xlsx). Name `headers()`, `rows(queryset)`,
    `filename_stem()` and `sheet_title()`."""

    def headers(self):
        raise NotImplementedError

    def rows(self, queryset):
        raise NotImplementedError

    def filename_stem(self) -> str:
        raise NotImplementedError

    def sheet_title(self) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        queryset = self.get_filterset().qs
        filename = self.filename_stem() + timezone.localdate().strftime("-%Y%m%d") + ".xlsx"
        return xlsx_response(
            filename=filename, headers=self.headers(), rows=self.rows(queryset), sheet_title=self.sheet_title()
        )


class DetailPage(LoginRequiredMixin, VisibleRowsMixin, DetailView):
    """One visible row (anything else is a 404), shaped by `shape(queryset)`."""

    def shape(self, queryset):
        return queryset

    def get_queryset(self):
        return self.shape(self.visible_queryset())


class FormPage(TemplateResponseMixin, ContextMixin, View):
    """A create/edit page: GET shows the form; POST hands the cleaned data to `perform(data)` (one service call)
    through core.pages.submit_form: success shows `success_message` and redirects to `success_url(result)`; a
    DomainError or ValidationError lands on the form, which is shown again."""

    form_class = None
    success_message = ""
    title = ""
    invalid_status = 200  # the status of the page shown again with errors (an edit page answers 400)
    unchanged_message = ""  # when set: a valid form that changes nothing shows it and goes back, no service call

    def get_form_kwargs(self):
        kwargs = {"initial": self.get_initial()}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST or None
            kwargs["files"] = self.request.FILES or None
        return kwargs

    def get_initial(self):
        return {}

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def perform(self, data):
        raise NotImplementedError

    def success_url(self, result) -> str:
        return result.get_absolute_url() if hasattr(result, "get_absolute_url") else self.cancel_url()

    def cancel_url(self) -> str:
        raise NotImplementedError

    def get_title(self) -> str:
        return self.title

    def get_success_message(self):
        """The message after the service: text, or a function of its result (core.pages.success_message)."""
        # str(): the message in the request's language now (a lazy one is rendered after the language is reset)
        return str(self.success_message) if self.success_message else _("Saved.")

    def refused(self, exc):
        """A service's refusal (core.pages.submit_form's `refused`): shown on the form (or as a page message) and
        None, the page shown again; override to answer it another way (a response)."""
        show_service_error(self.request, exc, self.form)
        return None

    def shown_again_status(self, form) -> int:
        """The status of a POST whose page is shown again: `invalid_status` when the form has errors, else 200."""
        return self.invalid_status if form.errors else 200

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.get_title())
        kwargs.setdefault("cancel_url", self.cancel_url())
        kwargs.setdefault("back", kwargs["cancel_url"])  # the name some apps' form.html use
        return super().get_context_data(**kwargs)

    def refusal(self):
        """A response instead of the form when the page cannot be used now (e.g. no campaign yet), else None."""
        return None

    def get(self, request, *args, **kwargs):
        return self.refusal() or self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        return self.refusal() or self.submit(self.get_form())

    def submit(self, form):
        self.form = form  # perform() may read the bound form (e.g. its changed fields)
        if self.unchanged_message and form.is_valid() and not form.has_changed():
            messages.info(self.request, str(self.unchanged_message))
            return redirect(self.cancel_url())
        done = submit_form(
            self.request,
            form,
            self.perform,
            success=self.get_success_message(),
            redirect_to=self.success_url,
            refused=self.refused,
        )
        if done:
            return done
        return self.render_to_response(self.get_context_data(form=form), status=self.shown_again_status(form))


class GuardedFormPage(LoginRequiredMixin, FormPage):
    """A form page of an app that answers a role's refusal with its own page: when `allowed()` is false, the
    `refused_message` as a page message on `forbidden_template`, status 403. The form is
    `form_class(POST or None[, FILES or None], **form_extra())` (`uploads = True` for a form with files)."""

    forbidden_template = None
    refused_message = ""
    uploads = False

    def allowed(self) -> bool:
        return True

    def refusal(self):
        if not self.allowed():
            messages.error(self.request, self.refused_message)
            return render(self.request, self.forbidden_template, status=403)
        return None

    def form_extra(self) -> dict:
        return {}

    def get_form(self):
        data = (self.request.POST or None,)
        if self.uploads:
            data += (self.request.FILES or None,)
        return self.form_class(*data, **self.form_extra())


class EditPage(FormPage):
    """A form over one existing row (`model`, looked up by `pk`), the form bound to it as `instance`."""

    model = None

    def get_object(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def setup_object(self):
        if self.object is None:
            self.object = self.get_object()
        return self.object

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.setup_object()
        return kwargs

    def cancel_url(self) -> str:
        return self.setup_object().get_absolute_url()


class ActionView(LoginRequiredMixin, View):
    """A button on an object's page (POST only): find the object (`get_object()`, a 404 outside the scope), call one
    service (`act(obj)`), show `success_message` and go to `success_url(obj, result)`. A refusal: NotPermitted is a
    403, NotInScope a 404, any other DomainError a page message and back to `back_url(obj)`."""

    http_method_names = ["post"]
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:  # 405 before the sign-in check (require_POST)
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        raise NotImplementedError

    def act(self, obj):
        raise NotImplementedError

    def back_url(self, obj) -> str:
        return obj.get_absolute_url()

    def success_url(self, obj, result) -> str:
        return self.back_url(obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            result = self.act(obj)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except NotInScope as exc:
            raise Http404(exc.message) from None
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(self.back_url(obj))
        if self.success_message:
            messages.success(request, str(self.success_message))
        return redirect(self.success_url(obj, result))


class FormActionView(ActionView):
    """A small form on an object's page (POST only), e.g. add a participant or record hours: the form
    (`form_class(POST, FILES, **form_extra())`) goes through core.pages.submit_form to `act(obj, data)` (one
    service). Success: `success_message` (text, or `success(result)`: text or `(level, text)`) and
    `success_url(obj, result)`. An invalid form: `invalid(obj, form)` (by default `invalid_message`, or else each of
    the form's errors, as page messages and back to `back_url(obj)`). A refusal: `refused(obj, exc)` (by default a
    page message, or the ValidationError's messages, and back). `get_object()` (a 404 outside the scope) may
    return None for a form about no single object (then `back_url(None)` must be named)."""

    form_class = None
    invalid_message = ""

    def form_extra(self) -> dict:
        return {}

    def get_form(self, obj):
        return self.form_class(self.request.POST, self.request.FILES or None, **self.form_extra())

    def act(self, obj, data):
        raise NotImplementedError

    def success(self, result):
        return str(self.success_message) if self.success_message else None

    def invalid(self, obj, form):
        if self.invalid_message:
            messages.error(self.request, str(self.invalid_message))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(self.request, error)
        return redirect(self.back_url(obj))

    def refused(self, obj, exc):
        show_service_error(self.request, exc)
        return redirect(self.back_url(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        done = submit_form(
            request,
            form,
            lambda data: self.act(obj, data),
            success=self.success,
            redirect_to=lambda result: self.success_url(obj, result),
            refused=lambda exc: self.refused(obj, exc),
        )
        return done or self.invalid(obj, form)


class ImportPage(OfficeRequiredMixin, FormPage):
    """An office's .xlsx import (core.imports): `run(actor, file)` returns an ImportResult. A clean file is imported
    and the page goes to `success_url`; a file with bad rows imports nothing and the page is shown again (400) with
    every row's error (`result` in the context, templates/_import_errors.html)."""

    form_class = None  # core.forms.XlsxUploadForm by default
    invalid_status = 400
    nothing_imported_message = gettext_lazy("Nothing was imported: correct the rows below and upload the file again.")

    def get_form(self):
        from core.forms import XlsxUploadForm

        return (self.form_class or XlsxUploadForm)(**self.get_form_kwargs())

    def run(self, actor, file):
        raise NotImplementedError

    def perform(self, data):
        self.result = self.run(self.request.user, data["file"])
        if not self.result.ok:
            raise DomainError(str(self.nothing_imported_message))
        return self.result

    def shown_again_status(self, form) -> int:
        return 400 if form.errors or getattr(self, "result", None) is not None else 200

    def get_context_data(self, **kwargs):
        kwargs.setdefault("result", getattr(self, "result", None))
        return super().get_context_data(**kwargs)
