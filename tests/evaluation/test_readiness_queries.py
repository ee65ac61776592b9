"""Query counts of readiness: the office's estimates page (/evaluation/readiness/estimates/, every estimate on one
page) at 20 and 100 rows (page_size here is the number of estimates), the readiness page, the API computed now and
the API reading a kept week — each the same whatever the number of standards (one grouped query per leg)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import EvaluationItem, ReadinessInput, StandardMethod
from evaluation.readiness import services
from tests.evaluation.readiness_world import Example

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(make_user):
    return Example(make_user)


def add_standards(example, count):
    content = example.s3.parent
    items = EvaluationItem.objects.bulk_create(
        [
            EvaluationItem(level="standard", code=f"X{i:03d}", text=f"标准{i}", parent=content, max_score=Decimal("1"))
            for i in range(count)
        ]
    )
    StandardMethod.objects.bulk_create([StandardMethod(standard=s, method="briefing") for s in items])
    ReadinessInput.objects.bulk_create(
        [ReadinessInput(standard=s, method="briefing", share=Decimal("0.7"), set_by=example.office) for s in items]
    )


@pytest.mark.parametrize("page_size", [20, 100])
def test_the_estimates_page(client, example, page_size, django_assert_num_queries):
    add_standards(example, page_size - 1)  # with the example's own estimate: page_size rows
    client.force_login(example.office)
    url = reverse("evaluation:readiness_input_list")
    client.get(url)
    # session, user, scope, the rows (with standard and author), the count without estimate, the form's standards, nav
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("readiness/estimates/") >= page_size


@pytest.mark.parametrize("standards", [20, 100])
def test_the_page_and_the_api(client, example, standards):
    add_standards(example, standards)
    client.force_login(example.office)
    services.readiness_snapshot(week=services.week_of(example.round.end_date))
    expected = {
        reverse("evaluation:readiness"): 25,
        reverse("api_readiness"): 21,
        f"{reverse('api_readiness')}?group_by=region": 21,
        f"{reverse('api_readiness')}?week={example.round.end_date.isoformat()}&group_by=project": 14,
    }
    counted = {}
    for url in expected:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counted[url] = len(queries)
    assert counted == expected
