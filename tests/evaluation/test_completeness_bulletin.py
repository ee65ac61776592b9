"""The weekly and monthly bulletins' "材料申报" section: the city-wide totals, the table by project and the named
overdue submissions, in the figures kept with the bulletin and in its PDF (pdftotext)."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from reports import services
from tests.evaluation.builders_completeness import EXPECTED_TOTALS, Material

pytestmark = pytest.mark.django_db


def pdf_text(bulletin) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def material(make_user):
    return Material(make_user, today=timezone.localdate())


@pytest.mark.parametrize("kind", ["weekly", "monthly"])
def test_the_section_appears_with_the_right_numbers(material, kind):
    today = timezone.localdate()
    start = (
        today - timedelta(days=today.weekday() + 7)
        if kind == "weekly"
        else (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    )
    bulletin = services.bulletin_request(actor=material.office, kind=kind, period_start=start)
    bulletin = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert bulletin.status == "ready", bulletin.failure_reason
    data = bulletin.figures["materials"]
    assert {k: data["totals"][k] for k in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert [(r["code"], r["required"], r["overdue"]) for r in data["projects"]] == [("P1", 5, 2), ("P2", 2, 0)]
    assert data["overdue"]["total"] == 2
    text = pdf_text(bulletin)
    flat = "".join(text.split())
    assert "材料申报" in text
    assert "应报材料（材料要求×单位）7项，已报送4项，已通过2项（28.6%），被退回1项，逾期2项；风险分值7分" in flat
    assert "P1 基础指标" in text and "P2 特色指标" in text
    # the named overdue submissions: unit, requirement, due date, days overdue (10), nothing submitted / returned
    assert "逾期未报送材料" in text
    for line in ("教育局", "卫健委"):
        row = next(r for r in text.splitlines() if line in r and "条例文本及实施情况" in r)
        assert " 10 " in f" {row} " and f"{material.past.month}月{material.past.day}日" in row
    assert "未报送" in text and "已退回" in text
    assert "城管局" not in [r.split()[0] for r in text.splitlines() if "条例文本及实施情况" in r and r.split()]


def test_no_requirement_no_section(make_user):
    from core.roles import Role

    office = make_user("office", Role.OFFICE)
    today = timezone.localdate()
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=today - timedelta(days=7))
    bulletin = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert bulletin.figures["materials"] is None
    assert "材料申报" not in pdf_text(bulletin)
