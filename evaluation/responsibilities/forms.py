"""The office's form for one duty of the responsibility list."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaign.models import Unit
from core.inputs import validate_calendar_day
from evaluation.models import EvaluationItem, Method, Responsibility


class StandardField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.text[:40]}"


class ResponsibilityForm(forms.Form):
    standard = StandardField(
        label=_("Evaluation standard"),
        queryset=EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD).order_by("sort_order", "code"),
    )
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.order_by("code"))
    units = forms.ModelMultipleChoiceField(
        label=_("Responsible units"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    task = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    deadline = forms.DateField(
        label=pgettext_lazy("duty", "Deadline"),
        required=False,
        validators=[validate_calendar_day],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @classmethod
    def initial_for(cls, duty: Responsibility) -> dict:
        return {
            "standard": duty.standard_id,
            "method": duty.method,
            "lead_unit": duty.lead_unit_id,
            "units": [u.pk for u in duty.units.all()],
            "task": duty.task,
            "deadline": duty.deadline,
        }
