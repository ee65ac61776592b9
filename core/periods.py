"""The reporting period of a figures page or API answer: `?start=&end=` (ISO dates), by default the current month
to today (a start alone runs to today, an end alone from the first of its month), at most three years long. A bad
value is an error the user sees (400), never a silent default."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import validate_calendar_day

MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the start as a date: YYYY-MM-DD.")},
        validators=[validate_calendar_day],
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the end as a date: YYYY-MM-DD.")},
        validators=[validate_calendar_day],
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        start, end = data.get("start"), data.get("end")
        if start is None and end is None:
            start, end = today.replace(day=1), today
        elif start is None:
            start = end.replace(day=1)
        elif end is None:
            end = max(start, today)
        if end < start:
            raise ValidationError({"end": _("The end of the period must not be before its start.")})
        if (end - start).days > MAX_DAYS:
            raise ValidationError({"end": _("A period may be at most three years long.")})
        data["start"], data["end"] = start, end
        return data


def parse_period(request) -> tuple[date, date]:
    """(start, end) from the query string; raises ValidationError({field: message}) on bad input (the API answers
    400 with it; pages use `page_period`)."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise ValidationError({field: errors for field, errors in form.errors.items()})
    return form.cleaned_data["start"], form.cleaned_data["end"]


def page_period(request) -> dict:
    """For figures pages: the period and its presets as template context, plus `status` for the answer (400 after
    a bad period, which is shown as a message while the page falls back to the current month)."""
    try:
        start, end = parse_period(request)
        status = 200
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        today = timezone.localdate()
        start, end, status = today.replace(day=1), today, 400
    return {"start": start, "end": end, "presets": presets(), "status": status}


def calendar_start(day: date, months: int) -> date:
    """The first day of the calendar month (months=1), quarter (3) or year (12) that holds `day`."""
    return date(day.year, months * ((day.month - 1) // months) + 1, 1)


def calendar_end(start: date, months: int) -> date:
    """The last day of the `months`-long calendar period that begins on `start`."""
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def presets(today: date | None = None) -> list[tuple[str, date, date]]:
    """The usual reporting periods (label, start, end): each a calendar month, quarter or year, or one to date."""
    today = today or timezone.localdate()
    rows = []
    for months, this, last in (
        (1, _("This month"), _("Last month")),
        (3, _("This quarter"), _("Last quarter")),
        (12, _("This year"), _("Last year")),
    ):
        current = calendar_start(today, months)
        previous_end = current - timedelta(days=1)
        rows += [(this, current, today), (last, calendar_start(previous_end, months), previous_end)]
    return rows
