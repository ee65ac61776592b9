"""Writes of questionnaires (问卷) and survey rounds (调查轮次). Only the campaign office writes (the leader reads;
surveyors read the rounds they run); every function takes the keyword-only `actor`, owns its transaction, locks the
rows it changes and keeps their history (simple_history, with the actor).

A question's positive rule must fit its kind (evaluation/questionnaires/rules.py): a minimum rating only on a rating
question, a positive answer only on a yes/no question, options only on choice questions, and a question that feeds a
rate needs a rule (a choice question at least one option marked positive). When the rule of a question that already
has answers changes, every answer's `positive` bit is decided again in the same transaction, and the tallies of that
question are rebuilt (evaluation.surveys.tally, where the response services keep them).

A round is a draft, open or closed (open ↔ closed; a draft opens). A closed round accepts no response and no change of
its quotas. The public self-fill link is a random `public_token` the office turns on or off."""

from __future__ import annotations

import re
import secrets
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import DomainError, InvalidTransition
from core.imports import Column, ImportResult, RowError, cell_text, read_sheet, split_list
from core.inputs import FIRST_DAY, LAST_DAY
from core.models import User
from core.roles import Role
from evaluation.models import (
    EvaluationItem,
    Question,
    Questionnaire,
    QuestionOption,
    Rate,
    RespondentGroup,
    SurveyAnswer,
    SurveyQuota,
    SurveyResponse,
    SurveyRound,
)
from evaluation.services import require_office

from . import rules

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
OPTION_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,10}$")
TITLE_MAX = 200
TEXT_MAX = 2000
OPTION_TEXT_MAX = 200
INTRO_MAX = 5000
NUMBER_MAX = 999
QUOTA_MAX = 100_000
SECONDS_MAX = 24 * 3600
RADIUS_MAX = 100_000
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
# The roles a round may name as its surveyors (supervisors run questionnaires; the office may too).
SURVEYOR_ROLES = (Role.SUPERVISOR, Role.OFFICE)
WEIGHT_SOURCES = tuple(SurveyResponse.Source.values)


def _save(obj, actor, fields=None):
    obj._history_user = actor
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)
    return obj


# --- Questionnaires ------------------------------------------------------------------------------------------


def _check_questionnaire(*, code, title, group, intro, exclude_pk=None) -> dict:
    errors = {}
    code = (code or "").strip()
    title = (title or "").strip()
    if not CODE_RE.match(code):
        errors["code"] = _("Use 1–20 letters, digits, - or _ for the code (e.g. A).")
    elif Questionnaire.objects.filter(code__iexact=code).exclude(pk=exclude_pk).exists():
        errors["code"] = _("Another questionnaire has the code %(code)s.") % {"code": code}
    if not title:
        errors["title"] = _("Give the questionnaire a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is longer than %(max)d characters.") % {"max": TITLE_MAX}
    if group not in RespondentGroup.values:
        errors["group"] = _("Choose a respondent group.")
    if len(intro or "") > INTRO_MAX:
        errors["intro"] = _("The introduction is longer than %(max)d characters.") % {"max": INTRO_MAX}
    if errors:
        raise ValidationError(errors)
    return {"code": code, "title": title, "group": group, "intro": (intro or "").strip()}


def questionnaire_create(*, actor, code, title, group, intro="", is_active=True) -> Questionnaire:
    require_office(actor)
    data = _check_questionnaire(code=code, title=title, group=group, intro=intro)
    with transaction.atomic():
        return _save(Questionnaire(**data, is_active=bool(is_active)), actor)


def questionnaire_update(
    *, actor, questionnaire: Questionnaire, code, title, group, intro="", is_active=True
) -> Questionnaire:
    require_office(actor)
    data = _check_questionnaire(code=code, title=title, group=group, intro=intro, exclude_pk=questionnaire.pk)
    with transaction.atomic():
        row = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        for key, value in data.items():
            setattr(row, key, value)
        row.is_active = bool(is_active)
        return _save(row, actor, ["code", "title", "group", "intro", "is_active"])


def questionnaire_delete(*, actor, questionnaire: Questionnaire) -> None:
    """Only a questionnaire that no round uses and nobody answered (409 otherwise: make it inactive instead)."""
    require_office(actor)
    with transaction.atomic():
        row = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if row.rounds.exists() or row.responses.exists():
            raise InvalidTransition(_("This questionnaire is used by a survey round: make it inactive instead."))
        row._history_user = actor
        row.delete()


# --- Questions and their options -----------------------------------------------------------------------------


def parse_target(value) -> Decimal | None:
    """A target rate: 0.9, "0.9", "90%" or 90 (a percentage) → Decimal("0.9000"). ValueError when not a rate."""
    if value is None or value == "":
        return None
    text = str(value).strip().replace("％", "%")
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    if percent or number > 1:
        number = number / 100
    if not (Decimal(0) < number <= Decimal(1)):
        raise ValueError(value)
    return number.quantize(Decimal("0.0001"))


def check_question(
    *,
    number,
    text,
    kind,
    rate="",
    standards=(),
    positive_min_rating=None,
    positive_answer=None,
    target=None,
    options=(),
) -> dict:
    """The field messages of one question (empty: fine). `options` are dicts {code, text, is_positive}."""
    errors: dict[str, str] = {}
    if not isinstance(number, int) or isinstance(number, bool) or not (1 <= number <= NUMBER_MAX):
        errors["number"] = _("Number the question from 1 to %(max)d.") % {"max": NUMBER_MAX}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write the question.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("The question is longer than %(max)d characters.") % {"max": TEXT_MAX}
    if kind not in Question.Kind.values:
        errors["kind"] = _("Choose the kind of question.")
        return errors
    rate = rate or ""
    if rate and rate not in Rate.values:
        errors["rate"] = _("Choose a rate.")
    for standard in standards:
        if standard.level != EvaluationItem.Level.STANDARD:
            errors["standards"] = _("%(code)s is not an evaluation standard.") % {"code": standard.code}
            break
    if positive_min_rating is not None:
        if kind != Question.Kind.RATING:
            errors["positive_min_rating"] = _("Only a rating question has a minimum positive rating.")
        elif not (1 <= positive_min_rating <= 5):
            errors["positive_min_rating"] = _("The minimum positive rating is from 1 to 5.")
    if positive_answer is not None and kind != Question.Kind.YES_NO:
        errors["positive_answer"] = _("Only a yes/no question has a positive answer.")
    if target is not None:
        if not rate:
            errors["target"] = _("A target needs the rate the question feeds.")
        elif not (Decimal(0) < Decimal(target) <= Decimal(1)):
            errors["target"] = _("The target is a rate above 0 and at most 100%.")
    if kind in CHOICE_KINDS:
        codes = set()
        for option in options:
            code = (option.get("code") or "").strip()
            label = (option.get("text") or "").strip()
            if not OPTION_CODE_RE.match(code):
                errors["options"] = _("Option codes are 1–10 letters or digits (A, B, C …).")
                break
            if code in codes:
                errors["options"] = _("The option %(code)s appears twice.") % {"code": code}
                break
            codes.add(code)
            if not label or len(label) > OPTION_TEXT_MAX:
                errors["options"] = _("Each option needs a text of at most %(max)d characters.") % {
                    "max": OPTION_TEXT_MAX
                }
                break
        if "options" not in errors:
            if len(codes) < 2:
                errors["options"] = _("A choice question needs at least two options.")
            elif rate and not any(option.get("is_positive") for option in options):
                errors["options"] = _("Mark at least one option as positive: the question feeds a rate.")
    elif options:
        errors["options"] = _("Only a choice question has options.")
    if kind == Question.Kind.TEXT and rate:
        errors["rate"] = _("An open-text question feeds no rate.")
    elif kind == Question.Kind.RATING and rate and positive_min_rating is None:
        errors.setdefault("positive_min_rating", _("Set the rating from which an answer counts as positive."))
    elif kind == Question.Kind.YES_NO and rate and positive_answer is None:
        errors.setdefault("positive_answer", _("Choose which answer counts as positive."))
    return errors


def _clean_options(options) -> list[dict]:
    return [
        {
            "code": (o.get("code") or "").strip(),
            "text": (o.get("text") or "").strip(),
            "is_positive": bool(o.get("is_positive")),
        }
        for o in options
    ]


def _write_options(question: Question, options: list[dict]) -> None:
    QuestionOption.objects.filter(question=question).delete()
    QuestionOption.objects.bulk_create(
        QuestionOption(question=question, sort_order=i, **option) for i, option in enumerate(options, start=1)
    )


def _decide_again(question: Question) -> int:
    """The rule of an answered question changed: decide every answer's `positive` again (one UPDATE) and rebuild the
    question's tallies. Returns how many answers there are."""
    positive_codes = set(question.options.filter(is_positive=True).values_list("code", flat=True))
    answered = SurveyAnswer.objects.filter(question=question)
    count = answered.update(positive=rules.positive_expression(question, positive_codes))
    if count:
        from evaluation.surveys import tally

        rounds = SurveyResponse.objects.filter(answers__question=question).values_list("round_id", flat=True)
        tally.rebuild(round_ids=set(rounds))
    return count


def _rule_of(question: Question, option_rows) -> tuple:
    return (
        question.kind,
        question.positive_min_rating,
        question.positive_answer,
        frozenset(o["code"] for o in option_rows if o["is_positive"]),
    )


def question_create(
    *,
    actor,
    questionnaire: Questionnaire,
    number: int,
    text: str,
    kind: str,
    rate: str = "",
    standards=(),
    positive_min_rating: int | None = None,
    positive_answer: bool | None = None,
    target: Decimal | None = None,
    is_required: bool = True,
    options=(),
) -> Question:
    require_office(actor)
    options = _clean_options(options)
    standards = list(standards)
    errors = check_question(
        number=number,
        text=text,
        kind=kind,
        rate=rate,
        standards=standards,
        positive_min_rating=positive_min_rating,
        positive_answer=positive_answer,
        target=target,
        options=options,
    )
    with transaction.atomic():
        Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if "number" not in errors and Question.objects.filter(questionnaire=questionnaire, number=number).exists():
            errors["number"] = _("Question %(number)d is already in this questionnaire.") % {"number": number}
        if errors:
            raise ValidationError(errors)
        question = _save(
            Question(
                questionnaire=questionnaire,
                number=number,
                text=text.strip(),
                kind=kind,
                rate=rate or "",
                positive_min_rating=positive_min_rating,
                positive_answer=positive_answer,
                target=target,
                is_required=bool(is_required),
            ),
            actor,
        )
        question.standards.set(standards)
        if kind in CHOICE_KINDS:
            _write_options(question, options)
    return question


def question_update(
    *,
    actor,
    question: Question,
    number: int,
    text: str,
    kind: str,
    rate: str = "",
    standards=(),
    positive_min_rating: int | None = None,
    positive_answer: bool | None = None,
    target: Decimal | None = None,
    is_required: bool = True,
    options=(),
) -> Question:
    """Change a question. Once answered, its kind stays and the options its answers chose stay (409); a changed
    positive rule is applied to the answers already given."""
    require_office(actor)
    options = _clean_options(options)
    standards = list(standards)
    errors = check_question(
        number=number,
        text=text,
        kind=kind,
        rate=rate,
        standards=standards,
        positive_min_rating=positive_min_rating,
        positive_answer=positive_answer,
        target=target,
        options=options,
    )
    with transaction.atomic():
        Questionnaire.objects.select_for_update().get(pk=question.questionnaire_id)
        row = Question.objects.select_for_update().get(pk=question.pk)
        taken = Question.objects.filter(questionnaire_id=row.questionnaire_id, number=number).exclude(pk=row.pk)
        if "number" not in errors and taken.exists():
            errors["number"] = _("Question %(number)d is already in this questionnaire.") % {"number": number}
        if errors:
            raise ValidationError(errors)
        old_options = list(row.options.values("code", "text", "is_positive"))
        before = _rule_of(row, old_options)
        answers = SurveyAnswer.objects.filter(question=row)
        if answers.exists():
            if kind != row.kind:
                raise InvalidTransition(_("This question has answers: its kind cannot change."))
            kept = {o["code"] for o in options}
            used = set()
            for codes in answers.exclude(option_codes="").values_list("option_codes", flat=True).distinct():
                used.update(c for c in codes.split(",") if c)
            if used - kept:
                raise InvalidTransition(
                    _("Answers chose the options %(codes)s: keep them.") % {"codes": "、".join(sorted(used - kept))}
                )
        row.number, row.text, row.kind, row.rate = number, text.strip(), kind, rate or ""
        row.positive_min_rating, row.positive_answer, row.target = positive_min_rating, positive_answer, target
        row.is_required = bool(is_required)
        _save(
            row,
            actor,
            [
                "number",
                "text",
                "kind",
                "rate",
                "positive_min_rating",
                "positive_answer",
                "target",
                "is_required",
            ],
        )
        row.standards.set(standards)
        new_options = options if kind in CHOICE_KINDS else []
        if new_options != old_options:
            _write_options(row, new_options)
        if _rule_of(row, new_options) != before:
            _decide_again(row)
    return row


def question_delete(*, actor, question: Question) -> None:
    """Only a question nobody answered (409 otherwise)."""
    require_office(actor)
    with transaction.atomic():
        Questionnaire.objects.select_for_update().get(pk=question.questionnaire_id)
        row = Question.objects.select_for_update().get(pk=question.pk)
        if SurveyAnswer.objects.filter(question=row).exists():
            raise InvalidTransition(_("This question has answers: it cannot be deleted."))
        row._history_user = actor
        row.delete()


# --- Survey rounds -------------------------------------------------------------------------------------------


def clean_weights(weights) -> dict:
    """{source: weight}: known sources, whole weights 0–100, at least one above 0; {} (unweighted) stays {}."""
    if not weights:
        return {}
    if not isinstance(weights, dict):
        raise ValidationError({"source_weights": _("Give the weights as {source: weight}.")})
    cleaned = {}
    for source, weight in weights.items():
        if source not in WEIGHT_SOURCES:
            raise ValidationError({"source_weights": _("Unknown source %(source)s.") % {"source": source}})
        if isinstance(weight, bool) or not isinstance(weight, int) or not (0 <= weight <= 100):
            raise ValidationError({"source_weights": _("A weight is a whole number from 0 to 100.")})
        if weight:
            cleaned[source] = weight
    if not cleaned:
        raise ValidationError({"source_weights": _("At least one source needs a weight above 0.")})
    return cleaned


def _check_round(*, name, start_date, end_date, questionnaires, surveyors, min_seconds, area_radius_m) -> dict:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Name the round.")
    elif len(name) > TITLE_MAX:
        errors["name"] = _("The name is longer than %(max)d characters.") % {"max": TITLE_MAX}
    for field, day in (("start_date", start_date), ("end_date", end_date)):
        if not isinstance(day, date) or not (FIRST_DAY <= day <= LAST_DAY):
            errors[field] = _("Enter a date between %(first)s and %(last)s.") % {
                "first": FIRST_DAY.isoformat(),
                "last": LAST_DAY.isoformat(),
            }
    if not errors.get("start_date") and not errors.get("end_date") and start_date > end_date:
        errors["end_date"] = _("The round ends before it starts.")
    if not questionnaires:
        errors["questionnaires"] = _("Choose at least one questionnaire.")
    wrong = [u.username for u in surveyors if u.role not in SURVEYOR_ROLES or not u.is_active]
    if wrong:
        errors["surveyors"] = _("Not a supervisor or office account: %(names)s.") % {"names": "、".join(wrong)}
    if not isinstance(min_seconds, int) or not (0 <= min_seconds <= SECONDS_MAX):
        errors["min_seconds"] = _("Enter a number of seconds from 0 to %(max)d.") % {"max": SECONDS_MAX}
    if not isinstance(area_radius_m, int) or not (1 <= area_radius_m <= RADIUS_MAX):
        errors["area_radius_m"] = _("Enter a radius from 1 to %(max)d metres.") % {"max": RADIUS_MAX}
    if errors:
        raise ValidationError(errors)
    return {"name": name}


def round_create(
    *,
    actor,
    name: str,
    start_date: date,
    end_date: date,
    questionnaires=(),
    surveyors=(),
    source_weights=None,
    min_seconds: int = 60,
    area_radius_m: int = 2000,
) -> SurveyRound:
    require_office(actor)
    questionnaires, surveyors = list(questionnaires), list(surveyors)
    data = _check_round(
        name=name,
        start_date=start_date,
        end_date=end_date,
        questionnaires=questionnaires,
        surveyors=surveyors,
        min_seconds=min_seconds,
        area_radius_m=area_radius_m,
    )
    weights = clean_weights(source_weights)
    with transaction.atomic():
        row = _save(
            SurveyRound(
                name=data["name"],
                start_date=start_date,
                end_date=end_date,
                source_weights=weights,
                min_seconds=min_seconds,
                area_radius_m=area_radius_m,
                created_by=actor,
            ),
            actor,
        )
        row.questionnaires.set(questionnaires)
        row.surveyors.set(surveyors)
    return row


def round_update(
    *,
    actor,
    round: SurveyRound,  # noqa: A002 - the model's own name for it
    name: str,
    start_date: date,
    end_date: date,
    questionnaires=(),
    surveyors=(),
    source_weights=None,
    min_seconds: int = 60,
    area_radius_m: int = 2000,
) -> SurveyRound:
    """Change a draft or open round (a closed one: 409). A questionnaire already answered in the round stays; a
    surveyor who covers a quota stays (move the quota first)."""
    require_office(actor)
    questionnaires, surveyors = list(questionnaires), list(surveyors)
    data = _check_round(
        name=name,
        start_date=start_date,
        end_date=end_date,
        questionnaires=questionnaires,
        surveyors=surveyors,
        min_seconds=min_seconds,
        area_radius_m=area_radius_m,
    )
    weights = clean_weights(source_weights)
    with transaction.atomic():
        row = SurveyRound.objects.select_for_update().get(pk=round.pk)
        if row.status == SurveyRound.Status.CLOSED:
            raise InvalidTransition(_("This round is closed: open it again to change it."))
        kept_q = {q.pk for q in questionnaires}
        answered = set(row.responses.values_list("questionnaire_id", flat=True).distinct())
        if answered - kept_q:
            names = Questionnaire.objects.filter(pk__in=answered - kept_q).values_list("code", flat=True)
            raise ValidationError(
                {
                    "questionnaires": _("Questionnaires %(codes)s have responses in this round: keep them.")
                    % {"codes": "、".join(sorted(names))}
                }
            )
        kept_s = {u.pk for u in surveyors}
        covering = set(row.quotas.filter(surveyor__isnull=False).values_list("surveyor_id", flat=True))
        if covering - kept_s:
            names = User.objects.filter(pk__in=covering - kept_s).values_list("username", flat=True)
            raise ValidationError(
                {
                    "surveyors": _("%(names)s cover quotas of this round: give their quotas to another surveyor first.")
                    % {"names": "、".join(sorted(names))}
                }
            )
        row.name, row.start_date, row.end_date = data["name"], start_date, end_date
        row.source_weights, row.min_seconds, row.area_radius_m = weights, min_seconds, area_radius_m
        _save(row, actor, ["name", "start_date", "end_date", "source_weights", "min_seconds", "area_radius_m"])
        row.questionnaires.set(questionnaires)
        row.surveyors.set(surveyors)
    return row


def round_open(*, actor, round: SurveyRound) -> SurveyRound:  # noqa: A002
    """A draft (or a closed round, again) opens: it accepts responses."""
    require_office(actor)
    with transaction.atomic():
        row = SurveyRound.objects.select_for_update().get(pk=round.pk)
        if row.status == SurveyRound.Status.OPEN:
            raise InvalidTransition(_("This round is already open."))
        if not row.questionnaires.exists():
            raise DomainError(_("Choose the round's questionnaires before opening it."))
        row.status = SurveyRound.Status.OPEN
        return _save(row, actor, ["status"])


def round_close(*, actor, round: SurveyRound) -> SurveyRound:  # noqa: A002
    """An open round closes: it accepts nothing more (responses, quota changes)."""
    require_office(actor)
    with transaction.atomic():
        row = SurveyRound.objects.select_for_update().get(pk=round.pk)
        if row.status != SurveyRound.Status.OPEN:
            raise InvalidTransition(_("Only an open round can be closed."))
        row.status = SurveyRound.Status.CLOSED
        return _save(row, actor, ["status"])


def round_public_link(*, actor, round: SurveyRound, enabled: bool) -> SurveyRound:  # noqa: A002
    """Turn the public self-fill link on (a new random key: an old link never works again) or off (409 when it
    already is so)."""
    require_office(actor)
    with transaction.atomic():
        row = SurveyRound.objects.select_for_update().get(pk=round.pk)
        if enabled and row.public_token:
            raise InvalidTransition(_("The public link is already on."))
        if not enabled and not row.public_token:
            raise InvalidTransition(_("The public link is already off."))
        row.public_token = secrets.token_urlsafe(24) if enabled else None
        return _save(row, actor, ["public_token"])


# --- Quotas --------------------------------------------------------------------------------------------------


def _open_for_quotas(round_id) -> SurveyRound:
    row = SurveyRound.objects.select_for_update().get(pk=round_id)
    if row.status == SurveyRound.Status.CLOSED:
        raise InvalidTransition(_("This round is closed: its quotas cannot change."))
    return row


def _check_quota(*, round_row, group, target, surveyor, surveyor_ids=None) -> dict:
    errors = {}
    if group not in RespondentGroup.values:
        errors["group"] = _("Choose a respondent group.")
    if isinstance(target, bool) or not isinstance(target, int) or not (1 <= target <= QUOTA_MAX):
        errors["target"] = _("The target is a whole number from 1 to %(max)d.") % {"max": QUOTA_MAX}
    if surveyor is not None:
        if surveyor_ids is None:
            surveyor_ids = set(round_row.surveyors.values_list("pk", flat=True))
        if surveyor.pk not in surveyor_ids:
            errors["surveyor"] = _("%(name)s is not one of this round's surveyors.") % {"name": surveyor.username}
    return errors


def quota_save(*, actor, round: SurveyRound, region, group: str, target: int, surveyor=None) -> SurveyQuota:  # noqa: A002
    """The quota of one area and group: added, or its target and surveyor changed."""
    require_office(actor)
    with transaction.atomic():
        row = _open_for_quotas(round.pk)
        errors = _check_quota(round_row=row, group=group, target=target, surveyor=surveyor)
        if region is None:
            errors["region"] = _("Choose the area.")
        if errors:
            raise ValidationError(errors)
        quota = SurveyQuota.objects.select_for_update().filter(round=row, region=region, group=group).first()
        if quota is None:
            return SurveyQuota.objects.create(round=row, region=region, group=group, target=target, surveyor=surveyor)
        quota.target, quota.surveyor = target, surveyor
        quota.save(update_fields=["target", "surveyor"])
        return quota


def quota_delete(*, actor, quota: SurveyQuota) -> None:
    require_office(actor)
    with transaction.atomic():
        _open_for_quotas(quota.round_id)
        SurveyQuota.objects.filter(pk=quota.pk).delete()


# --- Sheets: a questionnaire, and a round's quotas ------------------------------------------------------------

QUESTIONNAIRE_COLUMNS = [
    Column("code", "问卷编码", gettext_lazy("Questionnaire code"), True),
    Column("title", "问卷标题", gettext_lazy("Questionnaire title")),
    Column("group", "受访群体", gettext_lazy("Respondent group")),
    Column("number", "题号", gettext_lazy("Number"), True),
    Column("text", "题目", gettext_lazy("Question")),
    Column("kind", "题型", gettext_lazy("Kind")),
    Column("rate", "指标", gettext_lazy("Rate")),
    Column("standards", "测评标准编码", gettext_lazy("Standard codes")),
    Column("min_rating", "肯定起评分", gettext_lazy("Positive from rating")),
    Column("positive_answer", "肯定回答", gettext_lazy("Positive answer")),
    Column("target", "目标值", gettext_lazy("Target rate")),
    Column("required", "必答", gettext_lazy("Required")),
    Column("option_code", "选项编码", gettext_lazy("Option code")),
    Column("option_text", "选项内容", gettext_lazy("Option text")),
    Column("option_positive", "肯定选项", gettext_lazy("Positive option")),
]
KIND_WORDS = {
    Question.Kind.SINGLE: ("单选", "单选题", "single", "single choice"),
    Question.Kind.MULTIPLE: ("多选", "多选题", "multiple", "multiple choice"),
    Question.Kind.RATING: ("评分", "评分题", "打分", "rating", "rating 1–5", "rating 1-5"),
    Question.Kind.YES_NO: ("是否", "是否题", "判断", "判断题", "yes_no", "yes / no", "yes/no"),
    Question.Kind.TEXT: ("填空", "问答", "开放题", "填空题", "text", "open text"),
}
RATE_WORDS = {
    Rate.AWARENESS: ("知晓率", "知晓", "awareness"),
    Rate.SUPPORT: ("支持率", "支持", "support"),
    Rate.SATISFACTION: ("满意度", "满意率", "满意", "satisfaction"),
    Rate.PARTICIPATION: ("参与率", "参与", "participation"),
}
GROUP_WORDS = {
    RespondentGroup.RESIDENTS: ("居民", "residents"),
    RespondentGroup.MERCHANTS: ("商户", "经营户", "merchants"),
    RespondentGroup.STUDENTS: ("学生", "students"),
    RespondentGroup.VISITORS: ("游客", "来访者", "visitors"),
    RespondentGroup.OTHER: ("其他", "other"),
}
YES_WORDS = ("是", "yes", "y", "true", "1", "√", "✓")
NO_WORDS = ("否", "no", "n", "false", "0", "×")
# The words an export writes (the first of each list above): what an office reads, and imports again.
KIND_LABEL = {kind: words[0] for kind, words in KIND_WORDS.items()}
RATE_LABEL = {rate: words[0] for rate, words in RATE_WORDS.items()}
GROUP_LABEL = {group: words[0] for group, words in GROUP_WORDS.items()}


def _lookup(words: dict) -> dict:
    table = {}
    for value, aliases in words.items():
        table[value] = value
        for alias in aliases:
            table[alias.lower()] = value
    return table


KINDS, RATES, GROUPS = _lookup(KIND_WORDS), _lookup(RATE_WORDS), _lookup(GROUP_WORDS)


def group_of(word: str):
    """A respondent group from its Chinese word, English value or translated label; None when unknown."""
    word = (word or "").strip()
    found = GROUPS.get(word.lower()) or GROUPS.get(word)
    if found:
        return found
    return next((value for value, label in RespondentGroup.choices if str(label) == word), None)


def _yes_no(text: str):
    """(value, ok): True/False/None for an empty cell; ok False when the word is neither."""
    word = text.strip().lower()
    if not word:
        return None, True
    if word in YES_WORDS:
        return True, True
    if word in NO_WORDS:
        return False, True
    return None, False


def _whole(value):
    """A whole number from a cell (3, 3.0, "3"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    return int(text) if text.isdigit() else None


def _parse_question_rows(rows, result, standards_by_code) -> dict:
    """The sheet's rows as {code: {"first": row number, "title", "group", "questions": {number: {...}}}}; every bad
    row's message in `result.errors`."""
    sheets: dict[str, dict] = {}
    for number, row in rows:
        text = {key: cell_text(value) for key, value in row.items()}
        problems = []
        code = text.get("code", "")
        if not code:
            result.errors.append(RowError(number, _("Empty required cells: %(columns)s.") % {"columns": "问卷编码"}))
            continue
        if not CODE_RE.match(code):
            problems.append(_("The questionnaire code %(code)s is not 1–20 letters, digits, - or _.") % {"code": code})
        sheet = sheets.setdefault(code, {"first": number, "title": "", "group": None, "questions": {}})
        if text.get("title") and not sheet["title"]:
            sheet["title"] = text["title"][:TITLE_MAX]
        if text.get("group"):
            group = group_of(text["group"])
            if group is None:
                problems.append(
                    _("Unknown respondent group “%(value)s”: use 居民, 商户, 学生, 游客 or 其他.")
                    % {"value": text["group"]}
                )
            elif sheet["group"] is None:
                sheet["group"] = group
        if not any(text.get(key) for key in ("number", "text", "kind", "option_code", "option_text")):
            result.errors.extend(RowError(number, message) for message in problems)
            continue  # the questionnaire's own row (no questions yet)
        q_number = _whole(row.get("number"))
        if q_number is None or not (1 <= q_number <= NUMBER_MAX):
            problems.append(
                _("The question number “%(value)s” is not from 1 to %(max)d.")
                % {
                    "value": text.get("number", ""),
                    "max": NUMBER_MAX,
                }
            )
            result.errors.extend(RowError(number, message) for message in problems)
            continue
        question = sheet["questions"].get(q_number)
        if question is None:
            question = {"row": number, "number": q_number, "options": [], "problems": []}
            sheet["questions"][q_number] = question
            kind = KINDS.get(text.get("kind", "").lower())
            if kind is None:
                problems.append(
                    _("Unknown question kind “%(value)s”: use 单选, 多选, 评分, 是否 or 填空.")
                    % {"value": text.get("kind", "")}
                )
            rate = ""
            if text.get("rate"):
                rate = RATES.get(text["rate"].lower())
                if rate is None:
                    problems.append(
                        _("Unknown rate “%(value)s”: use 知晓率, 支持率, 满意度 or 参与率.") % {"value": text["rate"]}
                    )
            standards, unknown = [], []
            for word in split_list(row.get("standards")):
                standard = standards_by_code.get(word)
                (standards.append(standard) if standard is not None else unknown.append(word))
            if unknown:
                problems.append(_("Unknown standard codes: %(codes)s.") % {"codes": "、".join(unknown)})
            min_rating = None
            if text.get("min_rating"):
                min_rating = _whole(row.get("min_rating"))
                if min_rating is None or not (1 <= min_rating <= 5):
                    problems.append(
                        _("The positive rating “%(value)s” is not from 1 to 5.") % {"value": text["min_rating"]}
                    )
                    min_rating = None
            positive_answer, ok = _yes_no(text.get("positive_answer", ""))
            if not ok:
                problems.append(
                    _("The positive answer “%(value)s” is not 是 or 否.") % {"value": text["positive_answer"]}
                )
            required, ok = _yes_no(text.get("required", ""))
            if not ok:
                problems.append(_("Required “%(value)s” is not 是 or 否.") % {"value": text["required"]})
            target = None
            try:
                target = parse_target(row.get("target"))
            except (ValueError, TypeError):
                problems.append(
                    _("The target “%(value)s” is not a rate (e.g. 0.9 or 90%%).") % {"value": text["target"]}
                )
            question.update(
                text=text.get("text", ""),
                kind=kind,
                rate=rate or "",
                standards=standards,
                positive_min_rating=min_rating,
                positive_answer=positive_answer,
                target=target,
                is_required=True if required is None else required,
            )
        if text.get("option_code") or text.get("option_text"):
            positive, ok = _yes_no(text.get("option_positive", ""))
            if not ok:
                problems.append(_("Positive option “%(value)s” is not 是 or 否.") % {"value": text["option_positive"]})
            question["options"].append(
                {
                    "code": text.get("option_code", ""),
                    "text": text.get("option_text", ""),
                    "is_positive": bool(positive),
                }
            )
        if problems:
            question["problems"].append(number)
            result.errors.extend(RowError(number, message) for message in problems)
    return sheets


def questionnaire_import(*, actor, file) -> ImportResult:
    """Questionnaires from a sheet with one row per question and option (a question's cells on its first row; its
    further rows add options). Each questionnaire code in the file is created, or, when it exists and nobody has
    answered it, its title and group updated and its questions replaced by the file's. Every row is checked first;
    nothing is written unless every row is clean."""
    require_office(actor)
    rows, errors = read_sheet(file, QUESTIONNAIRE_COLUMNS)
    result = ImportResult(errors=errors)
    if errors:
        return result
    standards_by_code = {
        s.code: s
        for s in EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD).only("pk", "code", "level")
    }
    sheets = _parse_question_rows(rows, result, standards_by_code)
    existing = {q.code: q for q in Questionnaire.objects.filter(code__in=list(sheets))}
    answered = set(
        SurveyAnswer.objects.filter(question__questionnaire__code__in=list(sheets))
        .values_list("question__questionnaire__code", flat=True)
        .distinct()
    )
    for code, sheet in sheets.items():
        if code in answered:
            result.errors.append(
                RowError(
                    sheet["first"],
                    _("Questionnaire %(code)s already has answers: import it under a new code.") % {"code": code},
                )
            )
        if code not in existing and not (sheet["title"] and sheet["group"]):
            result.errors.append(
                RowError(sheet["first"], _("A new questionnaire %(code)s needs its title and group.") % {"code": code})
            )
        for question in sheet["questions"].values():
            if question["problems"] or question.get("kind") is None:
                continue
            field_errors = check_question(
                number=question["number"],
                text=question["text"],
                kind=question["kind"],
                rate=question["rate"],
                standards=question["standards"],
                positive_min_rating=question["positive_min_rating"],
                positive_answer=question["positive_answer"],
                target=question["target"],
                options=question["options"],
            )
            result.errors.extend(RowError(question["row"], message) for message in field_errors.values())
    if result.errors:
        result.errors.sort(key=lambda e: e.row or 0)
        return result

    with transaction.atomic():
        for code, sheet in sheets.items():
            row = Questionnaire.objects.select_for_update().filter(pk=getattr(existing.get(code), "pk", None)).first()
            if row is None:
                row = _save(Questionnaire(code=code, title=sheet["title"], group=sheet["group"]), actor)
                result.created += 1
            else:
                if SurveyAnswer.objects.filter(question__questionnaire=row).exists():  # answered since the check
                    raise InvalidTransition(
                        _("Questionnaire %(code)s already has answers: import it under a new code.") % {"code": code}
                    )
                row.title = sheet["title"] or row.title
                row.group = sheet["group"] or row.group
                _save(row, actor, ["title", "group"])
                row.questions.all().delete()
                result.updated += 1
            for data in sorted(sheet["questions"].values(), key=lambda q: q["number"]):
                question = Question.objects.create(
                    questionnaire=row,
                    number=data["number"],
                    text=data["text"].strip(),
                    kind=data["kind"],
                    rate=data["rate"],
                    positive_min_rating=data["positive_min_rating"],
                    positive_answer=data["positive_answer"],
                    target=data["target"],
                    is_required=data["is_required"],
                )
                question.standards.set(data["standards"])
                if data["kind"] in CHOICE_KINDS:
                    _write_options(question, _clean_options(data["options"]))
    result.details = {
        "questionnaires": len(sheets),
        "questions": sum(len(s["questions"]) for s in sheets.values()),
    }
    return result


def _yes_word(value) -> str:
    return "" if value is None else ("是" if value else "否")


def questionnaire_export_rows(questionnaires):
    """One sheet row per question and option (a question without options: one row); the question's cells repeated
    on each of its rows. The questionnaires shaped by selectors.questionnaire_detail (no per-row queries)."""
    for questionnaire in questionnaires:
        for question in questionnaire.questions.all():
            cells = [
                questionnaire.code,
                questionnaire.title,
                GROUP_LABEL.get(questionnaire.group, questionnaire.group),
                question.number,
                question.text,
                KIND_LABEL.get(question.kind, question.kind),
                RATE_LABEL.get(question.rate, ""),
                "、".join(s.code for s in question.standards.all()),
                question.positive_min_rating or "",
                _yes_word(question.positive_answer),
                float(question.target) if question.target is not None else "",
                _yes_word(question.is_required),
            ]
            options = list(question.options.all())
            if not options:
                yield [*cells, "", "", ""]
            for option in options:
                yield [*cells, option.code, option.text, _yes_word(option.is_positive)]
        if not questionnaire.questions.all():  # still without questions: its own row
            yield [questionnaire.code, questionnaire.title, GROUP_LABEL.get(questionnaire.group, questionnaire.group)]


def questionnaire_export_headers() -> list[str]:
    return [c.header for c in QUESTIONNAIRE_COLUMNS]


QUOTA_COLUMNS = [
    Column("area", "区域", gettext_lazy("Area"), True),
    Column("group", "受访群体", gettext_lazy("Respondent group"), True),
    Column("target", "目标样本量", gettext_lazy("Target"), True),
    Column("surveyor", "调查员", gettext_lazy("Surveyor")),
]
QUOTA_EXPORT_EXTRA = [
    ("area_name", "区域名称", gettext_lazy("Area name")),
    ("done", "已完成", gettext_lazy("Done")),
]


def _area_lookup():
    """Areas by code and by name (a name two areas share is ambiguous: None)."""
    from campaign.models import Region

    by_code, by_name = {}, {}
    for region in Region.objects.only("pk", "name", "code", "path"):
        by_code[region.code.lower()] = region
        by_name[region.name] = None if region.name in by_name else region
    return by_code, by_name


def quota_import(*, actor, round: SurveyRound, file) -> ImportResult:  # noqa: A002
    """A round's quotas from a sheet (area by name or code, group, target, surveyor by account name): a row for an
    area and group that has a quota changes its target and surveyor, any other row adds one; quotas not in the file
    stay. Every row is checked first; nothing is saved unless every row is clean."""
    require_office(actor)
    if round.status == SurveyRound.Status.CLOSED:
        raise InvalidTransition(_("This round is closed: its quotas cannot change."))
    rows, errors = read_sheet(file, QUOTA_COLUMNS)
    result = ImportResult(errors=errors)
    if errors:
        return result
    by_code, by_name = _area_lookup()
    surveyors = {}
    for user in round.surveyors.all():
        surveyors[user.username.lower()] = user
        if user.get_full_name():
            surveyors.setdefault(user.get_full_name(), user)
    parsed, seen = [], {}
    for number, row in rows:
        text = {key: cell_text(value) for key, value in row.items()}
        missing = [c.header for c in QUOTA_COLUMNS if c.required and not text.get(c.key)]
        if missing:
            result.errors.append(
                RowError(number, _("Empty required cells: %(columns)s.") % {"columns": "、".join(missing)})
            )
            continue
        problems = []
        area_word = text["area"]
        region = by_code.get(area_word.lower())
        if region is None:
            if area_word in by_name and by_name[area_word] is None:
                problems.append(_("Several areas are named %(name)s: use the area's code.") % {"name": area_word})
            else:
                region = by_name.get(area_word)
                if region is None:
                    problems.append(_("Unknown area %(name)s.") % {"name": area_word})
        group = group_of(text["group"])
        if group is None:
            problems.append(
                _("Unknown respondent group “%(value)s”: use 居民, 商户, 学生, 游客 or 其他.")
                % {"value": text["group"]}
            )
        target = _whole(row.get("target"))
        if target is None or not (1 <= target <= QUOTA_MAX):
            problems.append(
                _("The target “%(value)s” is not a whole number from 1 to %(max)d.")
                % {"value": text["target"], "max": QUOTA_MAX}
            )
        surveyor = None
        if text.get("surveyor"):
            surveyor = surveyors.get(text["surveyor"].lower()) or surveyors.get(text["surveyor"])
            if surveyor is None:
                problems.append(_("%(name)s is not one of this round's surveyors.") % {"name": text["surveyor"]})
        if not problems:
            key = (region.pk, group)
            if key in seen:
                problems.append(_("The same area and group appear twice (first on row %(row)s).") % {"row": seen[key]})
            seen.setdefault(key, number)
        if problems:
            result.errors.extend(RowError(number, message) for message in problems)
            continue
        parsed.append((region, group, target, surveyor))
    if result.errors:
        return result
    with transaction.atomic():
        row = _open_for_quotas(round.pk)
        current = {(q.region_id, q.group): q for q in SurveyQuota.objects.select_for_update().filter(round=row)}
        for region, group, target, surveyor in parsed:
            quota = current.get((region.pk, group))
            if quota is None:
                SurveyQuota.objects.create(round=row, region=region, group=group, target=target, surveyor=surveyor)
                result.created += 1
            elif quota.target != target or quota.surveyor_id != getattr(surveyor, "pk", None):
                quota.target, quota.surveyor = target, surveyor
                quota.save(update_fields=["target", "surveyor"])
                result.updated += 1
    result.details = {"rows": len(parsed), "unchanged": len(parsed) - result.created - result.updated}
    return result


def quota_export_headers() -> list[str]:
    return [c.header for c in QUOTA_COLUMNS] + [header for _key, header, _label in QUOTA_EXPORT_EXTRA]


def quota_export_rows(quotas):
    """The quotas shaped by selectors.quotas_with_progress (area, surveyor and `done` already there)."""
    for quota in quotas:
        yield [
            quota.region.code,
            GROUP_LABEL.get(quota.group, quota.group),
            quota.target,
            quota.surveyor.username if quota.surveyor_id else "",
            quota.region.name,
            quota.done,
        ]


SAMPLE_QUESTION_ROWS = [
    (
        "A",
        "城市居民问卷",
        "居民",
        1,
        "您是否知道本市正在创建全国文明城市？",
        "是否",
        "知晓率",
        "",
        "",
        "是",
        "95%",
        "是",
        "",
        "",
        "",
    ),
    (
        "A",
        "城市居民问卷",
        "居民",
        2,
        "您对所在社区的环境卫生是否满意？",
        "评分",
        "满意度",
        "",
        4,
        "",
        "90%",
        "是",
        "",
        "",
        "",
    ),
    (
        "A",
        "城市居民问卷",
        "居民",
        3,
        "您支持创建文明城市吗？",
        "单选",
        "支持率",
        "",
        "",
        "",
        "95%",
        "是",
        "A",
        "支持",
        "是",
    ),
    (
        "A",
        "城市居民问卷",
        "居民",
        3,
        "您支持创建文明城市吗？",
        "单选",
        "支持率",
        "",
        "",
        "",
        "95%",
        "是",
        "B",
        "无所谓",
        "否",
    ),
    (
        "A",
        "城市居民问卷",
        "居民",
        3,
        "您支持创建文明城市吗？",
        "单选",
        "支持率",
        "",
        "",
        "",
        "95%",
        "是",
        "C",
        "不支持",
        "否",
    ),
    ("A", "城市居民问卷", "居民", 4, "您对创建工作还有什么建议？", "填空", "", "", "", "", "", "否", "", "", ""),
]
SAMPLE_QUOTA_ROWS = [("南关社区", "居民", 20, "surveyor"), ("南关社区", "商户", 10, "")]


def questionnaire_sample_workbook() -> bytes:
    from core.xlsx import xlsx_bytes

    return xlsx_bytes(headers=questionnaire_export_headers(), rows=SAMPLE_QUESTION_ROWS, sheet_title="问卷")


def quota_sample_workbook() -> bytes:
    from core.xlsx import xlsx_bytes

    return xlsx_bytes(headers=[c.header for c in QUOTA_COLUMNS], rows=SAMPLE_QUOTA_ROWS, sheet_title="配额")
