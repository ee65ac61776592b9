"""Bounds of the input the app accepts, shared by FilterSets, forms and API serializers (issue 9, finding 8).

A date far in the past or future is no campaign's date, and date arithmetic on it (the day after 9999-12-31)
overflowed into a server error; it is refused as input instead, with a translated message. The first day is
when China's time zone begins: before 1901 Asia/Shanghai keeps local mean time (+08:05:43), which no RFC 3339
date-time in an API answer can express."""

from datetime import date, datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_DAY = date(1901, 1, 1)
LAST_DAY = date(2999, 12, 31)


def validate_calendar_day(value):
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not (FIRST_DAY <= day <= LAST_DAY):
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_range",
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


class DateFilter(django_filters.DateFilter):
    """django-filter's DateFilter, limited to the app's calendar (FIRST_DAY to LAST_DAY)."""

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_calendar_day]
        super().__init__(*args, **kwargs)
