"""The FilterSet of survey responses, shared by the data-quality page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.models import RespondentGroup, SurveyResponse

ID_MAX = 2**63 - 1

REASONS = (
    ("too_fast", _("Too fast")),
    ("duplicate", _("Duplicate")),
    ("outside_area", _("Outside the assigned area")),
    ("any", _("Any flag")),
)


class SurveyResponseFilterSet(django_filters.FilterSet):
    round = django_filters.NumberFilter(label=_("Round"), field_name="round_id", min_value=1, max_value=ID_MAX)
    questionnaire = django_filters.NumberFilter(
        label=_("Questionnaire version"), field_name="questionnaire_id", min_value=1, max_value=ID_MAX
    )
    region = django_filters.NumberFilter(label=_("Area"), field_name="region_id", min_value=1, max_value=ID_MAX)
    group = django_filters.ChoiceFilter(label=_("Respondent group"), choices=RespondentGroup.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=SurveyResponse.Source.choices)
    quality = django_filters.ChoiceFilter(label=_("Quality"), choices=SurveyResponse.Quality.choices)
    reason = django_filters.ChoiceFilter(label=_("Flag"), choices=REASONS, method="filter_reason")

    class Meta:
        model = SurveyResponse
        fields = ["round", "questionnaire", "region", "group", "source", "quality", "reason"]

    def filter_reason(self, queryset, name, value):
        if value == "any":
            return queryset.filter(Q(too_fast=True) | Q(duplicate=True) | Q(outside_area=True))
        if value in ("too_fast", "duplicate", "outside_area"):
            return queryset.filter(**{value: True})
        return queryset
