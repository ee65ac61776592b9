"""Questionnaire and survey-round pages for each role: the office creates and edits (questionnaire, question with its
options and rule, round, quota, open/close, public link), imports and exports; a surveyor, a unit and the leader
read; the leader's and others' writes answer 403 and change nothing; refusals land on the form with their message."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import Question, Questionnaire, SurveyQuota, SurveyRound
from tests.evaluation.questionnaires_world import add_response, qcity  # noqa: F401
from tests.uploads import xlsx

pytestmark = pytest.mark.django_db


def _client(client, qcity, who):
    client.force_login(qcity["users"][who])
    return client


@pytest.mark.parametrize("who", ["office", "surveyor", "unit", "leader"])
def test_everyone_reads(client, qcity, who):
    c = _client(client, qcity, who)
    q, r = qcity["questionnaire"], qcity["round"]
    pages = [
        reverse("evaluation:questionnaire_list"),
        reverse("evaluation:questionnaire_detail", args=[q.pk]),
        reverse("evaluation:questionnaire_preview", args=[q.pk]),
        reverse("evaluation:survey_round_list"),
        reverse("evaluation:survey_round_detail", args=[r.pk]),
    ]
    for url in pages:
        response = c.get(url)
        assert response.status_code == 200, url
    edit_links = {
        reverse("evaluation:questionnaire_detail", args=[q.pk]): reverse("evaluation:question_create", args=[q.pk]),
        reverse("evaluation:survey_round_detail", args=[r.pk]): reverse("evaluation:survey_round_update", args=[r.pk]),
        reverse("evaluation:questionnaire_list"): reverse("evaluation:questionnaire_create"),
        reverse("evaluation:survey_round_list"): reverse("evaluation:survey_round_create"),
    }
    for page, link in edit_links.items():
        assert (link in c.get(page).content.decode()) == (who == "office"), page
    export = c.get(reverse("evaluation:questionnaire_export_one", args=[q.pk]))
    assert export.status_code == 200
    assert load_workbook(BytesIO(export.content)).active.max_row == 10
    assert c.get(reverse("evaluation:survey_quota_export", args=[r.pk])).status_code == 200
    assert c.get(reverse("evaluation:questionnaire_detail", args=[99999])).status_code == 404


def test_preview_shows_each_kind_as_respondents_see_it(client, qcity):
    c = _client(client, qcity, "surveyor")
    html = c.get(reverse("evaluation:questionnaire_preview", args=[qcity["questionnaire"].pk])).content.decode()
    assert 'type="radio" name="q1" value="A"' in html  # single choice
    assert 'type="checkbox" name="q2" value="C"' in html  # multiple choice
    assert html.count('name="q3"') == 5  # rating 1–5
    assert 'name="q4" value="yes"' in html and 'name="q4" value="no"' in html
    assert '<textarea name="q5"' in html
    assert "phone-frame" in html and "您好" in html


@pytest.mark.parametrize("who", ["leader", "surveyor", "unit"])
def test_writes_refused_with_403(client, qcity, who):
    c = _client(client, qcity, who)
    q, r = qcity["questionnaire"], qcity["round"]
    question = qcity["questions"]["single"]
    posts = [
        (reverse("evaluation:questionnaire_create"), {"code": "Z", "title": "T", "group": "residents"}),
        (reverse("evaluation:questionnaire_update", args=[q.pk]), {"code": "A", "title": "改", "group": "residents"}),
        (reverse("evaluation:questionnaire_delete", args=[q.pk]), {}),
        (reverse("evaluation:question_create", args=[q.pk]), {"number": 9, "text": "x", "kind": "text"}),
        (reverse("evaluation:question_update", args=[question.pk]), {"number": 1, "text": "x", "kind": "text"}),
        (reverse("evaluation:question_delete", args=[question.pk]), {}),
        (reverse("evaluation:questionnaire_import"), {}),
        (reverse("evaluation:survey_round_create"), {"name": "x"}),
        (reverse("evaluation:survey_round_update", args=[r.pk]), {"name": "x"}),
        (reverse("evaluation:survey_round_open", args=[r.pk]), {}),
        (reverse("evaluation:survey_round_close", args=[r.pk]), {}),
        (reverse("evaluation:survey_round_link_on", args=[r.pk]), {}),
        (reverse("evaluation:survey_round_link_off", args=[r.pk]), {}),
        (reverse("evaluation:survey_quota_save", args=[r.pk]), {"region": qcity["regions"]["ca"].pk}),
        (reverse("evaluation:survey_quota_delete", args=[qcity["quotas"]["ca"].pk]), {}),
        (reverse("evaluation:survey_quota_import", args=[r.pk]), {}),
    ]
    for url, data in posts:
        assert c.post(url, data).status_code == 403, url
    assert c.get(reverse("evaluation:questionnaire_create")).status_code == 403
    assert Questionnaire.objects.get().title == "城市居民问卷" and Question.objects.count() == 5
    survey_round = SurveyRound.objects.get()
    assert (survey_round.status, survey_round.public_token, survey_round.name) == ("draft", None, "2026年3月模拟测评")
    assert SurveyQuota.objects.count() == 2


def test_office_creates_a_questionnaire_and_its_questions(client, qcity):
    c = _client(client, qcity, "office")
    response = c.post(
        reverse("evaluation:questionnaire_create"),
        {"code": "B", "title": "商户问卷", "group": "merchants", "intro": "您好", "is_active": "on"},
    )
    created = Questionnaire.objects.get(code="B")
    assert response.status_code == 302 and response.url == reverse("evaluation:questionnaire_detail", args=[created.pk])
    assert created.history.first().history_user == qcity["users"]["office"]
    url = reverse("evaluation:question_create", args=[created.pk])
    assert c.get(url).context["form"].initial["number"] == 1
    response = c.post(
        url,
        {
            "number": 1,
            "text": "您对市场管理是否满意？",
            "kind": "single",
            "rate": "satisfaction",
            "standards": [qcity["standards"]["q1"].pk],
            "options": "A 满意 *\nB 一般\nC 不满意",
            "target": "85%",
            "is_required": "on",
        },
    )
    assert response.status_code == 302
    question = created.questions.get()
    assert question.target == Decimal("0.85") and question.is_required
    assert [(o.code, o.text, o.is_positive) for o in question.options.all()] == [
        ("A", "满意", True),
        ("B", "一般", False),
        ("C", "不满意", False),
    ]
    # Its edit page shows the options as typed, and a change is saved.
    edit = reverse("evaluation:question_update", args=[question.pk])
    assert c.get(edit).context["form"].initial["options"] == "A 满意 *\nB 一般\nC 不满意"
    response = c.post(
        edit,
        {"number": 1, "text": "改过的题目", "kind": "rating", "rate": "satisfaction", "positive_min_rating": "4"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.kind, question.positive_min_rating, question.options.count()) == (
        "改过的题目",
        "rating",
        4,
        0,
    )


def test_question_form_refusals_land_on_the_form(client, qcity):
    c = _client(client, qcity, "office")
    question = qcity["questions"]["rating"]
    edit = reverse("evaluation:question_update", args=[question.pk])
    bad = [
        {"number": 3, "text": "x", "kind": "rating", "rate": "satisfaction"},  # no minimum rating
        {"number": 3, "text": "x", "kind": "rating", "options": "A 好 *\nB 差"},  # options on a rating
        {"number": 3, "text": "x", "kind": "single", "options": "A 好\n乱写一行"},  # a bad option line
        {"number": 3, "text": "x", "kind": "single", "rate": "support", "options": "A 好\nB 差"},  # no positive
        {"number": 1, "text": "x", "kind": "text"},  # number taken
        {"number": 3, "text": "x", "kind": "yes_no", "target": "abc"},
    ]
    for data in bad:
        response = c.post(edit, data)
        assert response.status_code == 400, data
        assert response.context["form"].errors, data
    question.refresh_from_db()
    assert (question.text, question.kind) == ("交通秩序打分", "rating")


def test_office_round_lifecycle(client, qcity):
    c = _client(client, qcity, "office")
    q = qcity["questionnaire"]
    response = c.post(
        reverse("evaluation:survey_round_create"),
        {
            "name": "四月模拟测评",
            "start_date": "2026-04-01",
            "end_date": "2026-04-30",
            "questionnaires": [q.pk],
            "surveyors": [qcity["users"]["surveyor"].pk],
            "weight_interview": "70",
            "weight_fieldworker": "30",
            "min_seconds": "90",
            "area_radius_m": "1500",
        },
    )
    assert response.status_code == 302
    survey_round = SurveyRound.objects.get(name="四月模拟测评")
    assert survey_round.source_weights == {"interview": 70, "fieldworker": 30}
    detail = reverse("evaluation:survey_round_detail", args=[survey_round.pk])
    # A quota: a surveyor who is not the round's is refused, then saved.
    save = reverse("evaluation:survey_quota_save", args=[survey_round.pk])
    ca = qcity["regions"]["ca"]
    c.post(save, {"region": ca.pk, "group": "residents", "target": "5", "surveyor": qcity["users"]["surveyor2"].pk})
    assert not SurveyQuota.objects.filter(round=survey_round).exists()
    c.post(save, {"region": ca.pk, "group": "residents", "target": "5", "surveyor": qcity["users"]["surveyor"].pk})
    assert SurveyQuota.objects.get(round=survey_round).target == 5
    assert c.post(reverse("evaluation:survey_round_open", args=[survey_round.pk])).status_code == 302
    assert c.post(reverse("evaluation:survey_round_link_on", args=[survey_round.pk])).status_code == 302
    survey_round.refresh_from_db()
    assert survey_round.status == "open" and survey_round.public_token
    page = c.get(detail).content.decode()
    assert reverse("evaluation:survey_round_qr", args=[survey_round.pk]) in page
    qr = c.get(reverse("evaluation:survey_round_qr", args=[survey_round.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    # Opening it twice: the 409 is a page message, nothing changes.
    response = c.post(reverse("evaluation:survey_round_open", args=[survey_round.pk]), follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    c.post(reverse("evaluation:survey_round_link_off", args=[survey_round.pk]))
    c.post(reverse("evaluation:survey_round_close", args=[survey_round.pk]))
    survey_round.refresh_from_db()
    assert (survey_round.status, survey_round.public_token) == ("closed", None)
    assert c.get(reverse("evaluation:survey_round_qr", args=[survey_round.pk])).status_code == 404
    page = c.get(detail).content.decode()
    assert reverse("evaluation:survey_quota_save", args=[survey_round.pk]) not in page  # no quota form once closed


def test_round_form_refusals(client, qcity):
    c = _client(client, qcity, "office")
    response = c.post(
        reverse("evaluation:survey_round_create"),
        {
            "name": "坏",
            "start_date": "2026-04-30",
            "end_date": "2026-04-01",
            "questionnaires": [qcity["questionnaire"].pk],
            "min_seconds": "60",
            "area_radius_m": "2000",
        },
    )
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    assert SurveyRound.objects.count() == 1


def test_round_page_shows_quota_progress(client, qcity):
    c = qcity
    for quality in ("valid", "accepted", "flagged"):
        add_response(c["round"], c["questionnaire"], c["regions"]["ca"], "residents", quality=quality)
    client.force_login(c["users"]["surveyor"])
    response = client.get(reverse("evaluation:survey_round_detail", args=[c["round"].pk]))
    quotas = {q.region.code: (q.done, q.target) for q in response.context["quotas"]}
    assert quotas == {"CA": (2, 3), "CB": (0, 2)}
    assert [q.region.code for q in response.context["mine"]] == ["CA"]
    assert 'max="3" value="2"' in response.content.decode()


def test_quota_import_page_unknown_area_saves_nothing(client, qcity):
    c = _client(client, qcity, "office")
    url = reverse("evaluation:survey_quota_import", args=[qcity["round"].pk])
    upload = xlsx(
        ["区域", "受访群体", "目标样本量", "调查员"], [("魏都社区", "居民", 4, ""), ("不存在社区", "居民", 4, "")]
    )
    response = c.post(url, {"file": upload})
    assert response.status_code == 400
    assert [e.row for e in response.context["result"].errors] == [3]
    assert "不存在社区" in response.content.decode()
    assert SurveyQuota.objects.count() == 2
    upload = xlsx(["区域", "受访群体", "目标样本量", "调查员"], [("魏都社区", "居民", 4, "surveyor")])
    response = c.post(url, {"file": upload})
    assert response.status_code == 302 and SurveyQuota.objects.count() == 3


def test_questionnaire_import_page_round_trip(client, qcity):
    c = _client(client, qcity, "office")
    export = c.get(reverse("evaluation:questionnaire_export"))
    assert export.status_code == 200
    rows = [list(r) for r in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True)]
    renamed = [["C", *row[1:]] for row in rows[1:]]
    response = c.post(reverse("evaluation:questionnaire_import"), {"file": xlsx(rows[0], renamed)})
    assert response.status_code == 302
    assert Questionnaire.objects.get(code="C").questions.count() == 5
    bad = [["D", "x", "居民", 1, "题", "打勾", "", "", "", "", "", "", "", "", ""]]
    response = c.post(reverse("evaluation:questionnaire_import"), {"file": xlsx(rows[0], bad)})
    assert response.status_code == 400 and [e.row for e in response.context["result"].errors] == [2]
    assert not Questionnaire.objects.filter(code="D").exists()
    assert c.get(reverse("evaluation:questionnaire_sample")).status_code == 200
    assert c.get(reverse("evaluation:survey_quota_sample")).status_code == 200


def test_surveyor_filters_their_rounds(client, qcity):
    from datetime import date

    from evaluation.questionnaires import services

    services.round_create(
        actor=qcity["users"]["office"],
        name="别人的轮次",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 5, 31),
        questionnaires=[qcity["questionnaire"]],
    )
    c = _client(client, qcity, "surveyor")
    response = c.get(reverse("evaluation:survey_round_list"), {"mine": "true"})
    assert [r.name for r in response.context["page"].object_list] == ["2026年3月模拟测评"]
    assert len(c.get(reverse("evaluation:survey_round_list")).context["page"].object_list) == 2
