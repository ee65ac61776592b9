"""The positive rule of a question (configurable per question): which answers count as positive for its rate.

- single / multiple choice: an answer is positive when it chose at least one option marked positive;
- rating 1–5: positive when the rating is at or above `positive_min_rating`;
- yes / no: positive when the answer equals `positive_answer`;
- open text, or a question without a rule (no positive option, no minimum rating, no positive answer): None (the
  answer does not count towards a rate).

`positive_of` decides one answer in Python (the response services call it when an answer is saved);
`positive_expression` is the same rule as a database expression (to decide again every answer of a question whose
rule changed, in one UPDATE)."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Q, Value, When

from evaluation.models import Question


def has_rule(question: Question, positive_codes) -> bool:
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return bool(positive_codes)
    if kind == Question.Kind.RATING:
        return question.positive_min_rating is not None
    if kind == Question.Kind.YES_NO:
        return question.positive_answer is not None
    return False


def positive_of(
    question: Question, positive_codes, *, option_codes: str = "", rating=None, yes=None, text: str = ""
) -> bool | None:
    """Whether one answer counts as positive (None: it does not count towards a rate). `positive_codes` are the
    codes of the question's options marked positive; `option_codes` the answer's chosen codes ("A" or "A,C")."""
    positive_codes = set(positive_codes)
    if not has_rule(question, positive_codes):
        return None
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        chosen = {code.strip() for code in (option_codes or "").split(",") if code.strip()}
        return bool(chosen & positive_codes) if chosen else None
    if kind == Question.Kind.RATING:
        return None if rating is None else rating >= question.positive_min_rating
    if kind == Question.Kind.YES_NO:
        return None if yes is None else yes == question.positive_answer
    return None


def _chose(code: str) -> Q:
    """The answer's option_codes ("A" or "A,C") contains `code`."""
    return (
        Q(option_codes=code)
        | Q(option_codes__startswith=f"{code},")
        | Q(option_codes__endswith=f",{code}")
        | Q(option_codes__contains=f",{code},")
    )


def positive_expression(question: Question, positive_codes):
    """`positive_of` as an expression over SurveyAnswer rows of this question."""
    positive_codes = set(positive_codes)
    none = Value(None, output_field=BooleanField())
    if not has_rule(question, positive_codes):
        return none
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        chose_positive = Q()
        for code in sorted(positive_codes):
            chose_positive |= _chose(code)
        return Case(
            When(option_codes="", then=none),
            When(chose_positive, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    if kind == Question.Kind.RATING:
        return Case(
            When(rating__isnull=True, then=none),
            When(rating__gte=question.positive_min_rating, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    return Case(
        When(yes__isnull=True, then=none),
        When(yes=question.positive_answer, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
