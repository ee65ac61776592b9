from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Bulletin


class BulletinRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Bulletin.Kind.choices, initial=Bulletin.Kind.WEEKLY)
    period_start = forms.DateField(
        label=_("Period (any day in it)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Weekly: any day of the week; monthly: any day of the month; special: the first day."),
    )
    period_end = forms.DateField(
        label=_("Last day (special reports)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(label=_("Title (special reports)"), max_length=200, required=False)
    body = forms.CharField(label=_("Text (special reports)"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    distribution = forms.CharField(
        label=_("Distribution list"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty for the usual list."),
    )
    regenerate = forms.BooleanField(
        label=_("Regenerate: make a new revision even if the period already has a bulletin"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].initial = timezone.localdate()


class ScheduleForm(forms.Form):
    daily = forms.TimeField(label=_("Daily report, every day at"), widget=forms.TimeInput(attrs={"type": "time"}))
    weekly = forms.TimeField(
        label=_("Weekly bulletin, every Monday at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    monthly = forms.TimeField(label=_("Monthly review, on the 1st at"), widget=forms.TimeInput(attrs={"type": "time"}))
