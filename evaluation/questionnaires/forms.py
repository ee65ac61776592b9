"""The office's forms: a questionnaire version, one question with its options and positive rule, a survey round,
and one quota of a round."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from campaign.models import Region
from core.inputs import validate_calendar_day
from evaluation.models import EvaluationItem, Question, Questionnaire, Rate, RespondentGroup, SurveyRound

from . import selectors
from .services import RADIUS_MAX, SECONDS_MAX, parse_target

OPTION_LINE = re.compile(r"^\s*([A-Za-z0-9]{1,10})\s*[.、:：)）]?\s+(.+?)\s*(\*)?\s*$")


class QuestionnaireForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20, help_text=gettext_lazy("e.g. A, B, C, D"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    group = forms.ChoiceField(label=gettext_lazy("Respondent group"), choices=RespondentGroup.choices)
    intro = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What respondents read before the first question."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    @classmethod
    def initial_for(cls, questionnaire: Questionnaire) -> dict:
        return {
            "code": questionnaire.code,
            "title": questionnaire.title,
            "group": questionnaire.group,
            "intro": questionnaire.intro,
            "is_active": questionnaire.is_active,
        }


class StandardsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.text[:40]}"


def _rating_choices():
    return [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


class QuestionForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Number"), min_value=1, max_value=999)
    text = forms.CharField(label=gettext_lazy("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Question.Kind.choices)
    rate = forms.ChoiceField(label=gettext_lazy("Rate it feeds"), choices=[("", "—"), *Rate.choices], required=False)
    standards = StandardsField(
        label=gettext_lazy("Standards measured"),
        queryset=EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD).order_by("sort_order", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Choice questions: one option a line, its code first (A 非常满意); end a line with * "
            "when the option counts as positive."
        ),
    )
    positive_min_rating = forms.TypedChoiceField(
        label=gettext_lazy("Positive from rating"),
        choices=_rating_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Rating questions: a rating at or above it counts as positive."),
    )
    positive_answer = forms.TypedChoiceField(
        label=gettext_lazy("Positive answer"),
        choices=[("", "—"), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Yes/no questions: the answer that counts as positive."),
    )
    target = forms.CharField(
        label=gettext_lazy("Target rate"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("e.g. 0.9 or 90%"),
    )
    is_required = forms.BooleanField(label=pgettext_lazy("question", "Required"), required=False, initial=True)

    def clean_target(self):
        try:
            return parse_target(self.cleaned_data.get("target"))
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Enter a rate such as 0.9 or 90%.")) from None

    def clean_options(self):
        options = []
        for number, line in enumerate((self.cleaned_data.get("options") or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = OPTION_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(line)d: write the option's code, then its text (A 非常满意).") % {"line": number}
                )
            options.append({"code": match[1], "text": match[2], "is_positive": bool(match[3])})
        return options

    @staticmethod
    def options_text(question: Question) -> str:
        return "\n".join(f"{o.code} {o.text}{' *' if o.is_positive else ''}" for o in question.options.all())

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        answer = {True: "yes", False: "no", None: ""}[question.positive_answer]
        return {
            "number": question.number,
            "text": question.text,
            "kind": question.kind,
            "rate": question.rate,
            "standards": [s.pk for s in question.standards.all()],
            "options": cls.options_text(question),
            "positive_min_rating": question.positive_min_rating or "",
            "positive_answer": answer,
            "target": f"{question.target * 100:.4g}%" if question.target is not None else "",
            "is_required": question.is_required,
        }


class SurveyorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{obj.username}（{name}）" if name else obj.username


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    start_date = forms.DateField(
        label=gettext_lazy("From"),
        validators=[validate_calendar_day],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        label=gettext_lazy("Until"),
        validators=[validate_calendar_day],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    questionnaires = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Questionnaires"),
        queryset=Questionnaire.objects.filter(is_active=True).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )
    surveyors = SurveyorsField(
        label=gettext_lazy("Surveyors"),
        queryset=selectors.surveyor_choices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    weight_interview = forms.IntegerField(
        label=gettext_lazy("Weight of interviews"), min_value=0, max_value=100, required=False
    )
    weight_self_fill = forms.IntegerField(
        label=gettext_lazy("Weight of public self-fill"), min_value=0, max_value=100, required=False
    )
    weight_fieldworker = forms.IntegerField(
        label=gettext_lazy("Weight of fieldworker scoring"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=gettext_lazy("Leave every weight empty for unweighted rates (e.g. interviews 70, fieldworkers 30)."),
    )
    min_seconds = forms.IntegerField(
        label=gettext_lazy("Shortest believable duration (s)"), min_value=0, max_value=SECONDS_MAX, initial=60
    )
    area_radius_m = forms.IntegerField(
        label=gettext_lazy("Area radius (m)"), min_value=1, max_value=RADIUS_MAX, initial=2000
    )

    def __init__(self, *args, round=None, **kwargs):  # noqa: A002
        super().__init__(*args, **kwargs)
        if round is not None:  # a questionnaire made inactive stays choosable on the rounds that use it
            chosen = round.questionnaires.values("pk")
            self.fields["questionnaires"].queryset = Questionnaire.objects.filter(
                pk__in=chosen
            ) | Questionnaire.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        weights = {}
        for source in ("interview", "self_fill", "fieldworker"):
            value = data.pop(f"weight_{source}", None)
            if value:
                weights[source] = value
        data["source_weights"] = weights
        return data

    @classmethod
    def initial_for(cls, round: SurveyRound) -> dict:  # noqa: A002
        weights = round.source_weights or {}
        return {
            "name": round.name,
            "start_date": round.start_date,
            "end_date": round.end_date,
            "questionnaires": [q.pk for q in round.questionnaires.all()],
            "surveyors": [u.pk for u in round.surveyors.all()],
            "weight_interview": weights.get("interview"),
            "weight_self_fill": weights.get("self_fill"),
            "weight_fieldworker": weights.get("fieldworker"),
            "min_seconds": round.min_seconds,
            "area_radius_m": round.area_radius_m,
        }


class SurveyorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{obj.username}（{name}）" if name else obj.username


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


class QuotaForm(forms.Form):
    region = AreaField(
        label=gettext_lazy("Area"),
        queryset=Region.objects.filter(level__gte=Region.Level.STREET).order_by("path"),
    )
    group = forms.ChoiceField(label=gettext_lazy("Respondent group"), choices=RespondentGroup.choices)
    target = forms.IntegerField(label=gettext_lazy("Target"), min_value=1, max_value=100_000)
    surveyor = SurveyorField(label=gettext_lazy("Surveyor"), queryset=selectors.surveyor_choices(), required=False)

    def __init__(self, *args, round, **kwargs):  # noqa: A002
        super().__init__(*args, **kwargs)
        self.fields["surveyor"].queryset = round.surveyors.order_by("username")
