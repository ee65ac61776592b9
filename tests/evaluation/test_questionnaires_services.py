"""Questionnaire and survey-round services: every refusal (400 field messages, 403 roles, 409 states) leaves the
rows as they were; the positive rule is applied again to answers when it changes; quota progress counts only the
responses that count, by the database; the .xlsx imports report every bad row and save nothing until clean."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.exceptions import DomainError, InvalidTransition, NotPermitted
from core.xlsx import xlsx_bytes
from evaluation.models import (
    EvaluationItem,
    Question,
    Questionnaire,
    QuestionOption,
    SurveyAnswer,
    SurveyQuota,
    SurveyRound,
    SurveyTally,
)
from evaluation.questionnaires import rules, selectors, services
from evaluation.surveys import tally
from tests.evaluation.questionnaires_world import CHOICES, add_response, qcity  # noqa: F401
from tests.uploads import xlsx

pytestmark = pytest.mark.django_db


def _question_kwargs(**extra):
    data = {"number": 9, "text": "新问题", "kind": "single", "rate": "", "options": CHOICES}
    data.update(extra)
    return data


# --- Questionnaires and questions ----------------------------------------------------------------------------


def test_questionnaire_fields_checked(qcity):
    office = qcity["users"]["office"]
    bad = [
        ({"code": "", "title": "T", "group": "residents"}, "code"),
        ({"code": "a", "title": "T", "group": "residents"}, "code"),  # A exists (case-insensitive)
        ({"code": "B C", "title": "T", "group": "residents"}, "code"),
        ({"code": "B", "title": " ", "group": "residents"}, "title"),
        ({"code": "B", "title": "T", "group": "aliens"}, "group"),
        ({"code": "B", "title": "T" * 201, "group": "residents"}, "title"),
    ]
    for data, field in bad:
        with pytest.raises(ValidationError) as caught:
            services.questionnaire_create(actor=office, **data)
        assert field in caught.value.message_dict, data
    assert Questionnaire.objects.count() == 1


@pytest.mark.parametrize("role", ["leader", "surveyor", "unit"])
def test_only_the_office_writes(qcity, role):
    user = qcity["users"][role]
    questionnaire, survey_round = qcity["questionnaire"], qcity["round"]
    calls = [
        lambda: services.questionnaire_create(actor=user, code="Z", title="T", group="residents"),
        lambda: services.question_create(actor=user, questionnaire=questionnaire, **_question_kwargs()),
        lambda: services.round_open(actor=user, round=survey_round),
        lambda: services.round_public_link(actor=user, round=survey_round, enabled=True),
        lambda: services.quota_delete(actor=user, quota=qcity["quotas"]["ca"]),
    ]
    for call in calls:
        with pytest.raises(NotPermitted):
            call()
    assert Questionnaire.objects.count() == 1 and SurveyQuota.objects.count() == 2
    assert SurveyRound.objects.get().status == "draft"


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"kind": "single", "positive_min_rating": 4}, "positive_min_rating"),
        ({"kind": "rating", "options": [], "positive_min_rating": 6}, "positive_min_rating"),
        ({"kind": "rating", "options": [], "positive_min_rating": 0}, "positive_min_rating"),
        ({"kind": "rating", "options": [], "rate": "satisfaction"}, "positive_min_rating"),
        ({"kind": "rating", "positive_min_rating": 4}, "options"),
        ({"kind": "single", "positive_answer": True}, "positive_answer"),
        ({"kind": "yes_no", "options": [], "rate": "awareness"}, "positive_answer"),
        ({"kind": "single", "options": CHOICES[:1]}, "options"),
        ({"kind": "single", "rate": "support", "options": [dict(o, is_positive=False) for o in CHOICES]}, "options"),
        ({"kind": "multiple", "options": [CHOICES[0], CHOICES[0]]}, "options"),
        ({"kind": "single", "options": [{"code": "A B", "text": "x"}, CHOICES[1]]}, "options"),
        ({"kind": "single", "options": [{"code": "Z", "text": ""}, CHOICES[1]]}, "options"),
        ({"kind": "text", "options": [], "rate": "support"}, "rate"),
        ({"kind": "single", "rate": "happiness"}, "rate"),
        ({"kind": "sing"}, "kind"),
        ({"kind": "single", "target": Decimal("0.9")}, "target"),
        ({"kind": "single", "rate": "support", "target": Decimal("1.5")}, "target"),
        ({"number": 0}, "number"),
        ({"number": 1000}, "number"),
        ({"number": 1}, "number"),  # already in the questionnaire
        ({"text": "  "}, "text"),
    ],
)
def test_question_refusals(qcity, extra, field):
    office, questionnaire = qcity["users"]["office"], qcity["questionnaire"]
    before = (Question.objects.count(), QuestionOption.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.question_create(actor=office, questionnaire=questionnaire, **_question_kwargs(**extra))
    assert field in caught.value.message_dict
    assert (Question.objects.count(), QuestionOption.objects.count()) == before


def test_question_standard_must_be_a_standard(qcity):
    office = qcity["users"]["office"]
    with pytest.raises(ValidationError) as caught:
        services.question_create(
            actor=office, questionnaire=qcity["questionnaire"], **_question_kwargs(standards=[qcity["project"]])
        )
    assert "standards" in caught.value.message_dict


def test_question_created_with_options_and_standards(qcity):
    q = qcity["questions"]["single"]
    assert [(o.code, o.is_positive, o.sort_order) for o in q.options.all()] == [
        ("A", True, 1),
        ("B", True, 2),
        ("C", False, 3),
    ]
    assert list(q.standards.values_list("code", flat=True)) == ["P040301"]
    assert not qcity["questions"]["rating"].options.exists()


def _answered(qcity, quality="valid"):
    c = qcity
    questions = c["questions"]
    return add_response(
        c["round"],
        c["questionnaire"],
        c["regions"]["ca"],
        "residents",
        quality=quality,
        answers=[
            (questions["single"], {"option_codes": "B", "positive": True}),
            (questions["multiple"], {"option_codes": "A,C", "positive": True}),
            (questions["rating"], {"rating": 3, "positive": False}),
            (questions["yes_no"], {"yes": False, "positive": False}),
        ],
    )


def test_rule_change_decides_answers_again_and_rebuilds_tallies(qcity):
    office, questions = qcity["users"]["office"], qcity["questions"]
    _answered(qcity)
    tally.rebuild()
    rating = questions["rating"]
    assert SurveyTally.objects.get(question=rating).positive == 0
    services.question_update(actor=office, question=rating, **{**_rule_fields(rating), "positive_min_rating": 3})
    assert SurveyAnswer.objects.get(question=rating).positive is True
    assert SurveyTally.objects.get(question=rating).positive == 1

    single = questions["single"]
    options = [dict(o, is_positive=o["code"] == "A") for o in CHOICES]  # B no longer positive
    services.question_update(actor=office, question=single, **{**_rule_fields(single), "options": options})
    assert SurveyAnswer.objects.get(question=single).positive is False
    assert SurveyTally.objects.get(question=single).positive == 0

    yes_no = questions["yes_no"]
    services.question_update(actor=office, question=yes_no, **{**_rule_fields(yes_no), "positive_answer": False})
    assert SurveyAnswer.objects.get(question=yes_no).positive is True


def _rule_fields(question):
    return {
        "number": question.number,
        "text": question.text,
        "kind": question.kind,
        "rate": question.rate,
        "standards": list(question.standards.all()),
        "positive_min_rating": question.positive_min_rating,
        "positive_answer": question.positive_answer,
        "target": question.target,
        "is_required": question.is_required,
        "options": list(question.options.values("code", "text", "is_positive")),
    }


def test_answered_question_keeps_kind_and_used_options(qcity):
    office, questions = qcity["users"]["office"], qcity["questions"]
    _answered(qcity)
    single = questions["single"]
    with pytest.raises(InvalidTransition):
        services.question_update(actor=office, question=single, **{**_rule_fields(single), "kind": "multiple"})
    with pytest.raises(InvalidTransition):  # B was chosen
        services.question_update(
            actor=office, question=single, **{**_rule_fields(single), "options": [CHOICES[0], CHOICES[2]]}
        )
    with pytest.raises(InvalidTransition):
        services.question_delete(actor=office, question=single)
    single.refresh_from_db()
    assert single.kind == "single" and single.options.count() == 3
    # An unanswered question goes.
    services.question_delete(actor=office, question=questions["text"])
    assert not Question.objects.filter(pk=questions["text"].pk).exists()


def test_questionnaire_used_by_a_round_is_not_deleted(qcity):
    office = qcity["users"]["office"]
    with pytest.raises(InvalidTransition):
        services.questionnaire_delete(actor=office, questionnaire=qcity["questionnaire"])
    spare = services.questionnaire_create(actor=office, code="Z", title="备用", group="other")
    services.questionnaire_delete(actor=office, questionnaire=spare)
    assert list(Questionnaire.objects.values_list("code", flat=True)) == ["A"]


def test_positive_rule_in_python_and_in_the_database_agree(qcity):
    questions = qcity["questions"]
    cases = [
        ("single", {"option_codes": "A"}),
        ("single", {"option_codes": "C"}),
        ("multiple", {"option_codes": "C,B"}),
        ("multiple", {"option_codes": "C"}),
        ("rating", {"rating": 4}),
        ("rating", {"rating": 2}),
        ("yes_no", {"yes": True}),
        ("yes_no", {"yes": False}),
        ("text", {"text": "好"}),
    ]
    response = add_response(qcity["round"], qcity["questionnaire"], qcity["regions"]["ca"], "residents")
    expected = {}
    for i, (key, fields) in enumerate(cases):
        question = questions[key]
        positive_codes = set(question.options.filter(is_positive=True).values_list("code", flat=True))
        expected[i] = rules.positive_of(question, positive_codes, **fields)
        if i and key in [k for k, _ in cases[:i]]:  # one answer per question and response
            response = add_response(qcity["round"], qcity["questionnaire"], qcity["regions"]["ca"], "residents")
        answer = SurveyAnswer.objects.create(response=response, question=question, **fields)
        SurveyAnswer.objects.filter(pk=answer.pk).update(positive=rules.positive_expression(question, positive_codes))
        answer.refresh_from_db()
        assert answer.positive == expected[i], (key, fields)
    assert [expected[i] for i in range(len(cases))] == [True, False, True, False, True, False, True, False, None]


# --- Rounds --------------------------------------------------------------------------------------------------


def _round_kwargs(qcity, **extra):
    data = {
        "name": "四月",
        "start_date": date(2026, 4, 1),
        "end_date": date(2026, 4, 30),
        "questionnaires": [qcity["questionnaire"]],
        "surveyors": [qcity["users"]["surveyor"]],
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"name": ""}, "name"),
        ({"end_date": date(2026, 3, 1)}, "end_date"),
        ({"questionnaires": []}, "questionnaires"),
        ({"surveyors": "unit"}, "surveyors"),
        ({"surveyors": "leader"}, "surveyors"),
        ({"source_weights": {"interview": 70, "robots": 30}}, "source_weights"),
        ({"source_weights": {"interview": 170}}, "source_weights"),
        ({"source_weights": {"interview": 0}}, "source_weights"),
        ({"source_weights": {"interview": "70"}}, "source_weights"),
        ({"min_seconds": -1}, "min_seconds"),
        ({"area_radius_m": 0}, "area_radius_m"),
    ],
)
def test_round_refusals(qcity, extra, field):
    if isinstance(extra.get("surveyors"), str):
        extra = {"surveyors": [qcity["users"][extra["surveyors"]]]}
    with pytest.raises(ValidationError) as caught:
        services.round_create(actor=qcity["users"]["office"], **_round_kwargs(qcity, **extra))
    assert field in caught.value.message_dict
    assert SurveyRound.objects.count() == 1


def test_round_transitions(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    with pytest.raises(InvalidTransition):
        services.round_close(actor=office, round=survey_round)  # a draft
    assert services.round_open(actor=office, round=survey_round).status == "open"
    with pytest.raises(InvalidTransition):
        services.round_open(actor=office, round=survey_round)
    assert services.round_close(actor=office, round=survey_round).status == "closed"
    # A closed round: no edit, no quota change, no import.
    with pytest.raises(InvalidTransition):
        services.round_update(actor=office, round=survey_round, **_round_kwargs(qcity))
    with pytest.raises(InvalidTransition):
        services.quota_save(actor=office, round=survey_round, region=qcity["regions"]["ca"], group="students", target=2)
    with pytest.raises(InvalidTransition):
        services.quota_delete(actor=office, quota=qcity["quotas"]["ca"])
    assert SurveyQuota.objects.count() == 2
    assert services.round_open(actor=office, round=survey_round).status == "open"  # opened again
    assert survey_round.history.count() >= 4


def test_round_without_questionnaires_does_not_open(qcity):
    office = qcity["users"]["office"]
    survey_round = qcity["round"]
    survey_round.questionnaires.clear()
    with pytest.raises(DomainError):
        services.round_open(actor=office, round=survey_round)
    assert SurveyRound.objects.get().status == "draft"


def test_public_link_on_and_off(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    first = services.round_public_link(actor=office, round=survey_round, enabled=True).public_token
    assert first and len(first) >= 32
    with pytest.raises(InvalidTransition):
        services.round_public_link(actor=office, round=survey_round, enabled=True)
    assert services.round_public_link(actor=office, round=survey_round, enabled=False).public_token is None
    with pytest.raises(InvalidTransition):
        services.round_public_link(actor=office, round=survey_round, enabled=False)
    second = services.round_public_link(actor=office, round=survey_round, enabled=True).public_token
    assert second != first


def test_round_update_keeps_answered_questionnaires_and_covering_surveyors(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    spare = services.questionnaire_create(actor=office, code="B", title="商户", group="merchants")
    _answered(qcity)
    with pytest.raises(ValidationError) as caught:
        services.round_update(
            actor=office,
            round=survey_round,
            **_round_kwargs(qcity, questionnaires=[spare], surveyors=[qcity["users"]["surveyor"]]),
        )
    assert "questionnaires" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:  # surveyor2 covers the quota of CB
        services.round_update(actor=office, round=survey_round, **_round_kwargs(qcity))
    assert "surveyors" in caught.value.message_dict
    updated = services.round_update(
        actor=office,
        round=survey_round,
        **_round_kwargs(
            qcity,
            questionnaires=[qcity["questionnaire"], spare],
            surveyors=[qcity["users"]["surveyor"], qcity["users"]["surveyor2"]],
            source_weights={"interview": 60, "self_fill": 0, "fieldworker": 40},
        ),
    )
    assert updated.name == "四月" and updated.source_weights == {"interview": 60, "fieldworker": 40}
    assert updated.questionnaires.count() == 2


# --- Quotas --------------------------------------------------------------------------------------------------


def test_quota_save_checks_and_updates(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    ca = qcity["regions"]["ca"]
    with pytest.raises(ValidationError) as caught:
        services.quota_save(
            actor=office, round=survey_round, region=ca, group="residents", target=5, surveyor=qcity["users"]["leader"]
        )
    assert "surveyor" in caught.value.message_dict
    for bad in ({"target": 0}, {"target": 100_001}, {"group": "aliens"}, {"region": None}):
        data = {"region": ca, "group": "residents", "target": 5, **bad}
        with pytest.raises(ValidationError):
            services.quota_save(actor=office, round=survey_round, **data)
    quota = services.quota_save(actor=office, round=survey_round, region=ca, group="residents", target=7)
    assert quota.pk == qcity["quotas"]["ca"].pk and quota.target == 7 and quota.surveyor is None
    assert SurveyQuota.objects.count() == 2


def test_quota_progress_counts_valid_and_accepted_in_one_query(qcity):
    c = qcity
    ca, cb = c["regions"]["ca"], c["regions"]["cb"]
    for quality in ("valid", "valid", "accepted", "flagged", "rejected"):
        add_response(c["round"], c["questionnaire"], ca, "residents", quality=quality)
    add_response(c["round"], c["questionnaire"], ca, "merchants")  # another group
    add_response(c["round"], c["questionnaire"], cb, "merchants")
    other = services.round_create(actor=c["users"]["office"], **_round_kwargs(c))
    add_response(other, c["questionnaire"], ca, "residents")  # another round
    with CaptureQueriesContext(connection) as queries:
        progress = {
            (q.region_id, q.group): q.done
            for q in selectors.quotas_with_progress(SurveyQuota.objects.filter(round=c["round"]))
        }
    assert len(queries) == 1
    assert progress == {(ca.pk, "residents"): 3, (cb.pk, "merchants"): 1}


# --- Quota import --------------------------------------------------------------------------------------------

QUOTA_HEADERS = ["区域", "受访群体", "目标样本量", "调查员"]


def test_quota_import_unknown_area_saves_nothing(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    rows = [
        ("魏都社区", "居民", 10, "surveyor2"),  # fine
        ("火星社区", "居民", 10, ""),  # unknown area
        ("CA", "外星人", 5, ""),  # unknown group
        ("CA", "学生", 5, "leader"),  # not one of the round's surveyors
        ("CA", "商户", 0, ""),  # target out of range
        ("CB", "居民", 4, ""),  # the same as row 2
        ("", "居民", 4, ""),  # empty area
    ]
    result = services.quota_import(actor=office, round=survey_round, file=xlsx(QUOTA_HEADERS, rows))
    assert not result.ok
    assert sorted({e.row for e in result.errors}) == [3, 4, 5, 6, 7, 8]
    assert any("火星社区" in e.message for e in result.errors if e.row == 3)
    assert SurveyQuota.objects.count() == 2


def test_quota_import_adds_and_updates(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    rows = [
        ("南关社区", "居民", 8, "surveyor2"),  # the CA residents quota: changed
        ("cb", "merchants", 2, "surveyor2"),  # unchanged (by code, English group)
        ("魏都社区", "学生", 4, "张调查"),  # new, the surveyor by name
    ]
    result = services.quota_import(actor=office, round=survey_round, file=xlsx(QUOTA_HEADERS, rows))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.details["unchanged"]) == (1, 1, 1)
    ca = SurveyQuota.objects.get(round=survey_round, region=qcity["regions"]["ca"], group="residents")
    assert (ca.target, ca.surveyor.username) == (8, "surveyor2")
    new = SurveyQuota.objects.get(group="students")
    assert new.surveyor.username == "surveyor"


def test_quota_import_ambiguous_area_and_closed_round(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    from campaign.services import region_create

    region_create(actor=office, name="南关社区", code="CA2", level=4, parent=qcity["regions"]["sa"])
    result = services.quota_import(
        actor=office, round=survey_round, file=xlsx(QUOTA_HEADERS, [("南关社区", "居民", 3, "")])
    )
    assert [e.row for e in result.errors] == [2]
    services.round_open(actor=office, round=survey_round)
    services.round_close(actor=office, round=survey_round)
    with pytest.raises(InvalidTransition):
        services.quota_import(actor=office, round=survey_round, file=xlsx(QUOTA_HEADERS, [("CA", "居民", 3, "")]))


def test_quota_export_imports_again_unchanged(qcity):
    office, survey_round = qcity["users"]["office"], qcity["round"]
    quotas = selectors.quotas_with_progress(SurveyQuota.objects.filter(round=survey_round))
    content = xlsx_bytes(headers=services.quota_export_headers(), rows=services.quota_export_rows(quotas))
    result = services.quota_import(actor=office, round=survey_round, file=BytesIO(content))
    assert result.ok and (result.created, result.updated, result.details["unchanged"]) == (0, 0, 2)


# --- Questionnaire import ------------------------------------------------------------------------------------


def _export(questionnaires):
    content = xlsx_bytes(
        headers=services.questionnaire_export_headers(),
        rows=services.questionnaire_export_rows(
            Questionnaire.objects.filter(pk__in=questionnaires).prefetch_related(
                Prefetch("questions", queryset=selectors.questions_shaped())
            )
        ),
    )
    sheet = load_workbook(BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _shape(questionnaire):
    return [
        (
            q.number,
            q.text,
            q.kind,
            q.rate,
            sorted(s.code for s in q.standards.all()),
            q.positive_min_rating,
            q.positive_answer,
            q.target,
            q.is_required,
            [(o.code, o.text, o.is_positive) for o in q.options.all()],
        )
        for q in questionnaire.questions.order_by("number")
    ]


def test_questionnaire_export_import_round_trip(qcity):
    office = qcity["users"]["office"]
    rows = _export([qcity["questionnaire"].pk])
    header, body = rows[0], rows[1:]
    assert header[:4] == ["问卷编码", "问卷标题", "受访群体", "题号"]
    assert len(body) == 3 + 3 + 1 + 1 + 1  # options of the two choice questions, one row for each other
    copied = [["B", *row[1:]] for row in body]
    result = services.questionnaire_import(actor=office, file=xlsx(header, copied))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.details["questions"]) == (1, 0, 5)
    assert _shape(Questionnaire.objects.get(code="B")) == _shape(qcity["questionnaire"])
    # The unanswered A imported again from its own export: replaced by the same questions.
    result = services.questionnaire_import(actor=office, file=xlsx(header, body))
    assert result.ok and result.updated == 1
    assert _shape(Questionnaire.objects.get(code="A")) == _shape(Questionnaire.objects.get(code="B"))


def test_questionnaire_import_reports_every_bad_row(qcity):
    office = qcity["users"]["office"]
    header = services.questionnaire_export_headers()
    blank = [""] * len(header)

    def row(**cells):
        values = list(blank)
        for key, value in cells.items():
            values[[c.key for c in services.QUESTIONNAIRE_COLUMNS].index(key)] = value
        return values

    base = {"code": "N", "title": "新问卷", "group": "居民"}
    rows = [
        row(**base, number=1, text="好", kind="是否", rate="知晓率", positive_answer="是", standards="P040301"),  # 2 ok
        row(**base, number=2, text="标准", kind="评分", rate="满意度", min_rating=4, standards="P999999"),  # 3
        row(**base, number=3, text="题型", kind="打勾"),  # 4
        row(**base, number=4, text="指标", kind="是否", rate="幸福率", positive_answer="是"),  # 5
        row(**base, number=5, text="评分", kind="评分", rate="满意度", min_rating=7),  # 6
        row(**base, number=6, text="选项", kind="评分", rate="满意度", min_rating=4, option_code="A", option_text="x"),
        row(**base, number=7, text="无肯定", kind="单选", rate="支持率", option_code="A", option_text="支持"),  # 8
        row(**base, number=7, option_code="B", option_text="不支持"),  # 9
        row(**base, number="七", text="题号", kind="填空"),  # 10
        row(code="", number=8, text="无编码", kind="填空"),  # 11
        row(**base, number=9, text="目标", kind="是否", rate="知晓率", positive_answer="是", target="150%"),  # 12
    ]
    result = services.questionnaire_import(actor=office, file=xlsx(header, rows))
    assert not result.ok
    assert sorted({e.row for e in result.errors}) == [3, 4, 5, 6, 7, 8, 10, 11, 12]
    assert any("P999999" in e.message for e in result.errors)
    assert not Questionnaire.objects.filter(code="N").exists() and Question.objects.count() == 5


def test_questionnaire_import_refuses_an_answered_questionnaire(qcity):
    office = qcity["users"]["office"]
    _answered(qcity)
    rows = _export([qcity["questionnaire"].pk])
    result = services.questionnaire_import(actor=office, file=xlsx(rows[0], rows[1:]))
    assert [e.row for e in result.errors] == [2]
    assert Question.objects.filter(questionnaire=qcity["questionnaire"]).count() == 5


def test_questionnaire_import_new_code_needs_title_and_group(qcity):
    office = qcity["users"]["office"]
    header = ["问卷编码", "题号", "题目", "题型"]
    result = services.questionnaire_import(actor=office, file=xlsx(header, [("Q", 1, "建议", "填空")]))
    assert [e.row for e in result.errors] == [2]
    assert not Questionnaire.objects.filter(code="Q").exists()


def test_questionnaire_import_not_a_workbook(qcity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.questionnaire_import(
        actor=qcity["users"]["office"], file=SimpleUploadedFile("x.xlsx", b"not a workbook")
    )
    assert not result.ok and result.errors[0].row is None


def test_standards_of_the_sample_system_link(qcity):
    assert EvaluationItem.objects.filter(methods__method="questionnaire").count() == 2


def test_questionnaire_without_questions_exports_and_imports(qcity):
    office = qcity["users"]["office"]
    empty = services.questionnaire_create(actor=office, code="E", title="空问卷", group="visitors")
    rows = _export([empty.pk])
    assert rows[1][:3] == ["E", "空问卷", "游客"]
    renamed = [["F", *row[1:]] for row in rows[1:]]
    result = services.questionnaire_import(actor=office, file=xlsx(rows[0], renamed))
    assert result.ok and result.created == 1
    created = Questionnaire.objects.get(code="F")
    assert (created.title, created.group, created.questions.count()) == ("空问卷", "visitors", 0)
