"""The reporting period of a figures page or API answer: `?start=&end=` (ISO dates), by default the current month
to today (a start alone runs to today, an end alone from the first of its month), at most three years long. A bad value is an error the user sees (400), never a silent default."""
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, input_formats=["%Y-%m-%d"],
                            error_messages={"invalid": _("Enter the start as a date: YYYY-MM-DD.")})
    end = forms.DateField(label=_("Until"), required=False, input_formats=["%Y-%m-%d"],
                          error_messages={"invalid": _("Enter the end as a date: YYYY-MM-DD.")})

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
    400 with it; pages use `period_or_errors`)."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise ValidationError({field: errors for field, errors in form.errors.items()})
    return form.cleaned_data["start"], form.cleaned_data["end"]


def period_or_errors(request) -> tuple[date, date, list[str]]:
    """For pages: the period, or the default period with the error messages to show (answer with status 400)."""
    try:
        start, end = parse_period(request)
    except ValidationError as exc:
        today = timezone.localdate()
        return today.replace(day=1), today, [str(m) for messages in exc.message_dict.values() for m in messages]
    return start, end, []


def presets(today: date | None = None) -> list[tuple[str, date, date]]:
    """The usual reporting periods (label, start, end): each a calendar month, quarter or year, or one to date."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter_end = quarter - timedelta(days=1)
    last_quarter = date(last_quarter_end.year, 3 * ((last_quarter_end.month - 1) // 3) + 1, 1)
    year = date(today.year, 1, 1)
    return [
        (_("This month"), month, today),
        (_("Last month"), last_month, month - timedelta(days=1)),
        (_("This quarter"), quarter, today),
        (_("Last quarter"), last_quarter, last_quarter_end),
        (_("This year"), year, today),
        (_("Last year"), date(today.year - 1, 1, 1), year - timedelta(days=1)),
    ]
