"""One FilterSet per model of questionnaires and rounds, shared by the list pages, their exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.models import Questionnaire, RespondentGroup, SurveyRound


class QuestionnaireFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)
    group = django_filters.ChoiceFilter(label=_("Respondent group"), choices=RespondentGroup.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Questionnaire
        fields = ["q", "group", "is_active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))


class SurveyRoundFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains", max_length=100)
    # The round's own words (the model's "Open"/"Closed" read as other apps' words in the merged catalogue).
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (SurveyRound.Status.DRAFT, _("Draft")),
            (SurveyRound.Status.OPEN, _("Accepting responses")),
            (SurveyRound.Status.CLOSED, _("Closed to responses")),
        ],
    )
    mine = django_filters.BooleanFilter(label=_("Mine (I am a surveyor)"), method="filter_mine")

    class Meta:
        model = SurveyRound
        fields = ["q", "status", "mine"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none() if value else queryset
        mine = SurveyRound.objects.filter(Q(surveyors=user) | Q(quotas__surveyor=user)).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)
