"""The completeness API and pages: group_by values, bad input, scope, exports, query counts."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.evaluation.builders_completeness import EXPECTED_BY_UNIT, EXPECTED_TOTALS, Material

pytestmark = pytest.mark.django_db
URL = "/api/v1/material-completeness/"
PAGE_QUERIES = 28


@pytest.fixture
def material(make_user):
    # The API and the pages count as of today.
    return Material(make_user, today=timezone.localdate())


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_url_name():
    assert reverse("material-completeness") == URL


@pytest.mark.parametrize("group_by", ["unit", "standard", "content", "project"])
def test_group_by_answers_rows_with_every_contract_field(material, group_by):
    body = client_for(material.office).get(URL, {"group_by": group_by}).json()
    assert body["group_by"] == group_by
    assert {k: body["totals"][k] for k in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert body["results"]
    for row in body["results"]:
        assert {
            "id",
            "name",
            "code",
            "required",
            "submitted",
            "accepted",
            "returned",
            "overdue",
            "late",
            "points_at_risk",
            "accepted_rate",
        } <= set(row)


def test_no_group_by_answers_the_totals(material):
    body = client_for(material.leader).get(URL).json()
    assert body["results"] == [] and body["totals"]["required"] == 7


@pytest.mark.parametrize("bad", ["region", "UNIT", "unit;drop", "x" * 300])
def test_bad_group_by_is_a_translated_400(material, bad):
    response = client_for(material.office).get(URL, {"group_by": bad}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "group_by" in response.json()
    assert "按" in str(response.json())  # Chinese message


def test_a_user_without_a_role_sees_nothing(material, make_user):
    body = client_for(make_user("m-norole", "")).get(URL, {"group_by": "unit"}).json()
    assert body["results"] == [] and body["totals"]["required"] == 0 and body["totals"]["points_at_risk"] == 0


def test_signed_out_is_refused():
    assert Client().get(URL).status_code in (401, 403)


def test_a_unit_gets_only_its_own_numbers(material):
    body = client_for(material.unit_a).get(URL, {"group_by": "unit"}).json()
    assert [row["code"] for row in body["results"]] == ["M-UA"]
    assert {k: body["totals"][k] for k in EXPECTED_TOTALS} == EXPECTED_BY_UNIT["A"]
    assert "教育局" not in str(body) and "卫健委" not in str(body)


@pytest.mark.parametrize(("group_by", "queries"), [(None, 9), ("unit", 10), ("standard", 10), ("project", 10)])
# Each figures query runs in a savepoint with SET LOCAL work_mem/enable_nestloop (selectors._figures): 5 statements.
def test_query_count_of_the_api_is_pinned(material, django_assert_num_queries, make_user, group_by, queries):
    # the same count for the small set and for a larger one: figures are grouped by the database
    client = client_for(material.office)
    params = {"group_by": group_by} if group_by else {}
    with django_assert_num_queries(queries):
        assert client.get(URL, params).status_code == 200
    for version in range(1, 6):
        material.submission(material.r2, material.units["C"], version, "returned", current=version == 5)
    material.r2.units.add(material.units["C"], material.units["D"])
    with django_assert_num_queries(queries):
        assert client.get(URL, params).status_code == 200


def test_office_page_shows_totals_tables_and_the_definition(material):
    response = client_for(material.office).get(reverse("evaluation:completeness"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("城管局", "教育局", "卫健委", "基础指标", "制定文明行为促进条例", "条例文本及实施情况"):
        assert name in html
    totals = response.context["totals"]
    assert totals["required"] == 7 and totals["points_at_risk"] == 7.0
    assert "风险" in html or "Points at risk" in html


def test_unit_page_is_scoped(material):
    response = client_for(material.unit_a).get(reverse("evaluation:completeness"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "城管局" in html and "教育局" not in html and "卫健委" not in html
    # asking for another unit's drill-down shows nothing of it
    other = client_for(material.unit_a).get(reverse("evaluation:completeness"), {"unit": material.units["B"].pk})
    assert other.context["totals"]["required"] == 0


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999"])
def test_bad_drill_down_is_a_400(material, bad):
    response = client_for(material.office).get(reverse("evaluation:completeness"), {"unit": bad})
    assert response.status_code == 400


def test_drill_down_to_a_project(material):
    response = client_for(material.office).get(reverse("evaluation:completeness"), {"item": material.p2.pk})
    assert response.context["totals"]["required"] == 2
    assert [r["code"] for r in response.context["tables"]["standard"]] == ["S3"]


@pytest.mark.parametrize("table", ["unit", "standard", "content", "project"])
def test_exports(material, table):
    response = client_for(material.office).get(reverse("evaluation:completeness_export"), {"table": table})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + {"unit": 3, "standard": 3, "content": 2, "project": 2}[table]
    assert sum(r[2] for r in rows[1:]) == 7


def test_export_of_a_unit_is_scoped_and_bad_table_is_400(material):
    client = client_for(material.unit_a)
    rows = list(
        load_workbook(
            BytesIO(client.get(reverse("evaluation:completeness_export"), {"table": "unit"}).content)
        ).active.iter_rows(values_only=True)
    )
    assert [r[1] for r in rows[1:]] == ["城管局"]
    assert client.get(reverse("evaluation:completeness_export"), {"table": "region"}).status_code == 400


def test_query_count_of_the_page(material, django_assert_num_queries):
    client = client_for(material.office)
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(reverse("evaluation:completeness"))
    material.r2.units.add(material.units["C"], material.units["D"])
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(reverse("evaluation:completeness"))
