"""The office's estimate of a method the app does not observe (网络调查, 听取汇报)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import EvaluationItem, Method, StandardMethod

from .scoring import ESTIMATED


class ReadinessInputForm(forms.Form):
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=EvaluationItem.objects.none())
    method = forms.ChoiceField(label=_("Method"), choices=[(m, label) for m, label in Method.choices if m in ESTIMATED])
    share = forms.DecimalField(
        label=_("Expected share of the points"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        help_text=_("From 0 to 1, e.g. 0.85"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estimated = StandardMethod.objects.filter(method__in=ESTIMATED).values("standard_id")
        self.fields["standard"].queryset = EvaluationItem.objects.filter(
            level=EvaluationItem.Level.STANDARD, pk__in=estimated
        ).order_by("sort_order", "code")
