"""Readiness through its surfaces: the API (shape, group_by, kept weeks, bad input, scope), the pages (score,
estimates, PDF), the weekly snapshot and its beat row, the dashboards' card and the bulletins' section."""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.exceptions import NotPermitted
from evaluation.models import ReadinessInput, ReadinessSnapshot
from evaluation.readiness import selectors, services
from tests.evaluation.readiness_world import TODAY, Example, add_supervisor

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def example(make_user):
    return Example(make_user, today=timezone.localdate())


@pytest.fixture
def supervisor(example, make_user):
    return add_supervisor(example, make_user)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


# --- API ------------------------------------------------------------------------------------------------------


def test_api_by_standard_has_the_contract_fields_and_parts(client, example):
    client.force_login(example.office)
    body = client.get(reverse("api_readiness")).json()
    assert body["group_by"] == "standard"
    assert (body["totals"]["points"], body["totals"]["score"]) == (20.0, 14.325)
    assert body["totals"]["points_at_risk"] == 5.675
    assert [r["code"] for r in body["results"]] == ["S1", "S2", "S3"]  # most points at risk first
    s2 = body["results"][1]
    assert {"score", "points", "points_at_risk", "share", "parts"} <= set(s2)
    assert s2["parts"]["material"]["points_at_risk"] == 1.5 and s2["parts"]["questionnaire"]["n"] == 20


def test_api_by_project_and_region(client, example):
    client.force_login(example.leader)
    projects = client.get(reverse("api_readiness"), {"group_by": "project"}).json()["results"]
    assert {r["code"]: r["score"] for r in projects} == {"P1": 10.925, "P2": 3.4}
    streets = client.get(reverse("api_readiness"), {"group_by": "region"}).json()["results"]
    assert {r["code"]: r["score"] for r in streets} == pytest.approx({"SA": 14.4, "SB": 13.275})
    one = client.get(reverse("api_readiness"), {"region": example.sb.pk}).json()
    assert one["totals"]["score"] == pytest.approx(13.275)


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"group_by": "unit"}, "group_by", "分组"),
        ({"week": "2026-13-01"}, "week", "周次"),
        ({"region": "abc"}, "region", "街道"),
    ],
)
def test_api_bad_input_is_a_translated_400(client, example, params, field, text):
    client.force_login(example.office)
    response = client.get(reverse("api_readiness"), params, **ZH)
    assert response.status_code == 400
    assert text in str(response.json())


def test_a_supervisor_sees_its_streets_only(client, example, supervisor):
    client.force_login(supervisor)
    streets = client.get(reverse("api_readiness"), {"group_by": "region"}).json()["results"]
    assert [r["code"] for r in streets] == ["SA"]
    body = client.get(reverse("api_readiness")).json()
    assert body["totals"]["score"] == pytest.approx(14.4)  # street SA's evidence only
    assert client.get(reverse("api_readiness"), {"region": example.sb.pk}).status_code == 400
    page = client.get(reverse("evaluation:readiness"))
    assert page.status_code == 200
    assert "南街道</a>" in page.content.decode() and "北街道</a>" not in page.content.decode()


def test_a_unit_liaison_sees_nothing(client, example, make_user):
    from core.roles import Role

    liaison = make_user("r-unit", Role.UNIT, unit=example.u1)
    client.force_login(liaison)
    body = client.get(reverse("api_readiness")).json()
    assert body["results"] == [] and body["totals"]["points"] == 0
    assert client.get(reverse("evaluation:readiness")).status_code == 403


# --- Kept weeks -----------------------------------------------------------------------------------------------


def test_the_snapshot_is_idempotent_and_read_back(client, example, supervisor):
    week = selectors.monday(timezone.localdate())
    assert services.readiness_snapshot(week=week) == 9  # 3 standards × (the city + 2 streets)
    assert services.readiness_snapshot(week=week + timedelta(days=2)) == 9  # any day of the week: the same week
    assert ReadinessSnapshot.objects.filter(week=week).count() == 9
    city = ReadinessSnapshot.objects.get(week=week, standard=example.s2, region=None)
    assert (city.points, city.share) == (Decimal("6.00"), Decimal("0.6875"))
    assert city.parts["questionnaire"] == {"share": 0.875, "n": 20, "source": "evidence", "points_at_risk": 0.375}
    client.force_login(example.office)
    kept = client.get(reverse("api_readiness"), {"week": week.isoformat()}).json()
    assert kept["week"] == week.isoformat() and kept["totals"]["score"] == pytest.approx(14.325)
    assert selectors.trend(example.office) == [{"week": week, "score": 14.325, "points": 20.0}]
    client.force_login(supervisor)
    kept = client.get(reverse("api_readiness"), {"week": week.isoformat(), "group_by": "region"}).json()
    assert [r["code"] for r in kept["results"]] == ["SA"]


def test_the_weekly_beat_row_exists():
    task = PeriodicTask.objects.get(name="readiness snapshot")
    assert task.task == "evaluation.readiness_snapshot"
    assert (task.crontab.day_of_week, task.crontab.hour, task.crontab.minute) == ("1", "6", "30")


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_page_shows_the_score_streets_and_points_at_risk(client, example):
    client.force_login(example.office)
    html = client.get(reverse("evaluation:readiness"), **ZH).content.decode()
    assert "测评得分预估" in html and "14.3" in html and "/ 20" in html
    assert "南街道" in html and "北街道" in html
    assert f"?standard={example.s1.pk}&amp;status=reported" in html  # the open ticket's link
    assert "城管局" in html
    assert client.get(reverse("evaluation:readiness"), {"region": "x"}).status_code == 400


def test_the_office_enters_an_estimate_and_the_leader_may_not(client, example):
    url = reverse("evaluation:readiness_input_list")
    client.force_login(example.office)
    response = client.post(url, {"standard": example.s3.pk, "method": "briefing", "share": "0.7", "note": "汇报材料"})
    assert response.status_code == 302
    assert ReadinessInput.objects.get(standard=example.s3, method="briefing").share == Decimal("0.7")
    rows = {r["code"]: r for r in selectors.readiness(example.office)["standards"]}
    assert rows["S3"]["share"] == pytest.approx(0.8)  # (0.9 + 0.7) / 2
    bad = client.post(url, {"standard": example.s3.pk, "method": "online", "share": "1.5"}, **ZH)
    assert bad.status_code == 400
    assert ReadinessInput.objects.get(standard=example.s3, method="online").share == Decimal("0.9")
    client.force_login(example.leader)
    assert client.get(url).status_code == 403
    with pytest.raises(NotPermitted):
        services.readiness_input_set(actor=example.leader, standard=example.s3, method="online", share=0.5)
    with pytest.raises(ValidationError):
        services.readiness_input_set(actor=example.office, standard=example.s1, method="online", share=0.5)


def test_the_one_page_pdf_renders_chinese(client, example, tmp_path):
    client.force_login(example.office)
    response = client.get(reverse("evaluation:readiness_pdf"), **ZH)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "测评得分预估" in text and "14.3" in text and "城管局" in text
    assert "yes" in pdf_fonts(response.content, tmp_path)  # the CJK font is embedded


# --- Dashboards and bulletins ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "leader"])
def test_the_dashboard_card(client, example, who):
    client.force_login(getattr(example, who))
    html = client.get(reverse("reports:dashboard"), **ZH).content.decode()
    assert "readiness-card" in html and "测评得分预估" in html
    assert "14.3" in html and "S1" in html and "−3.2" in html


@pytest.mark.parametrize("kind", ["weekly", "monthly"])
def test_the_bulletin_section(make_user, kind):
    from reports import services as bulletins

    today = timezone.localdate()
    start = (
        today - timedelta(days=today.weekday() + 7)
        if kind == "weekly"
        else (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    )
    end = start + timedelta(days=6) if kind == "weekly" else today.replace(day=1) - timedelta(days=1)
    example = Example(make_user, today=end)
    bulletin = bulletins.bulletin_request(actor=example.office, kind=kind, period_start=start)
    bulletin = bulletins.bulletin_generate(bulletin_id=bulletin.pk)
    assert bulletin.status == "ready", bulletin.failure_reason
    data = bulletin.figures["readiness"]
    assert (data["totals"]["points"], data["totals"]["score"]) == (20.0, 14.325)
    assert [r["code"] for r in data["at_risk"]] == ["S1", "S2", "S3"]
    text = subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "测评得分预估" in text and "主次干道整洁有序" in text


def test_the_example_day_is_a_weekday():
    assert TODAY.weekday() == 2
