"""Helpers every app's pages share: page sizes and paging, htmx partials, service errors on forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from core.exceptions import DomainError

PAGE_SIZES = (20, 50, 100)


def page_size(request) -> int:
    """?page_size= when it is one of PAGE_SIZES, else the first of them."""
    try:
        size = int(request.GET.get("page_size", PAGE_SIZES[0]))
    except (TypeError, ValueError):
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def paginate(request, queryset):
    return Paginator(queryset, page_size(request)).get_page(request.GET.get("page"))


def render_list(request, template: str, partial: str, context: dict):
    """The whole page, or only the table for an htmx request (filters and paging swap the table only)."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, partial, context)
    return render(request, template, context)


def show_service_error(request, exc, form=None):
    """Put a service's refusal where the user sees it: on the form's fields, or as a page message."""
    if isinstance(exc, ValidationError) and form is not None and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
        return
    if isinstance(exc, DomainError):
        if form is not None and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            messages.error(request, exc.message)
        return
    raise exc


def success_message(request, success, result) -> None:
    """Show `success` after a service call: text; a function of the service's result that returns the text, or
    `(level, text)` when the outcome is not a plain success (e.g. `messages.WARNING`); empty or None: no message."""
    if callable(success):
        success = success(result)
    if not success:
        return
    level, text = success if isinstance(success, tuple) else (messages.SUCCESS, success)
    messages.add_message(request, level, str(text))


NOT_DONE = object()  # run_form: the form or the service refused


def run_form(request, form, action):
    """submit_form without the redirect, for a page that answers on itself (e.g. the phone sign-in page shows what
    was recorded): when the form is valid, `action(cleaned_data)`; a refusal lands on the form. Returns the
    action's result, or NOT_DONE (GET, or errors on the form)."""
    if request.method != "POST" or not form.is_valid():
        return NOT_DONE
    try:
        return action(form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        show_service_error(request, exc, form)
        return NOT_DONE


def submit_form(request, form, action, *, success, redirect_to, refused=None):
    """The POST half of a form page: when the form is valid, call `action(cleaned_data)` (one service); on success
    show `success` (see success_message: text, a function of the result, `(level, text)`, or None for no message)
    and redirect to `redirect_to(result)`; a refusal (DomainError, ValidationError) lands on the form. Returns the
    redirect, or None when the page must be shown again (GET, or errors on the form).

    `refused(exc)`, when given, shows a refusal itself instead (e.g. a page message and back to the page the button
    was on) and returns the response, or None to show the page again."""
    if request.method != "POST" or not form.is_valid():  # with run_form: the only form.is_valid() of the POST handlers
        return None
    try:
        result = action(form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        if refused is not None:
            return refused(exc)
        show_service_error(request, exc, form)
        return None
    success_message(request, success, result)
    return redirect(redirect_to(result))
