"""The material review lists cost a pinned number of queries at 20 and at 100 rows a page (no N+1), for the office,
a reviewer of a review body and a unit liaison. Named in tests/test_query_counts.py PINNED_ELSEWHERE:
evaluation:material_requirement_list, evaluation:material_submission_list, evaluation:material_review_queue,
api_material-requirement-list, api_material-submission-list."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import MaterialFile, MaterialRequirement, MaterialSubmission
from tests.evaluation.materials_world import mcity  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
ROWS = 105
SIZES = (20, 100)

# (route name, who) → queries at both page sizes. Pages: session, user, scope (bodies for a supervisor, regions for a
# liaison), COUNT, rows, the filter form's choice lists, the unread notifications, the session saved. A review body's
# member: its bodies and their standards are read by the rule and by the queue's own narrowing (a few more).
PINS = {
    ("evaluation:material_requirement_list", "office"): 10,
    ("evaluation:material_requirement_list", "ua"): 11,
    ("evaluation:material_submission_list", "office"): 9,
    ("evaluation:material_submission_list", "reviewer"): 12,
    ("evaluation:material_review_queue", "office"): 8,
    ("evaluation:material_review_queue", "reviewer"): 15,
    ("api_material-requirement-list", "office"): 8,
    ("api_material-requirement-list", "ua"): 9,
    ("api_material-submission-list", "office"): 8,
    ("api_material-submission-list", "ua"): 9,
}


@pytest.fixture
def many(mcity):
    c = mcity
    today = timezone.localdate()
    requirements = MaterialRequirement.objects.bulk_create(
        [
            MaterialRequirement(
                standard=c.s1,
                kind="policy",
                title=f"材料{i:03d}",
                window_start=today - timedelta(days=365),
                window_end=today,
                due_date=today + timedelta(days=i % 30 - 5),
            )
            for i in range(ROWS)
        ]
    )
    Through = MaterialRequirement.units.through
    Through.objects.bulk_create(
        [Through(materialrequirement=r, unit=u) for r in requirements for u in (c.unit_a, c.unit_b)]
    )
    submissions = MaterialSubmission.objects.bulk_create(
        [
            MaterialSubmission(
                requirement=r, unit=c.unit_a, status="submitted", submitted_at=timezone.now(), created_by=c.ua
            )
            for r in requirements
        ]
    )
    MaterialFile.objects.bulk_create(
        [
            MaterialFile(submission=s, file=f"materials/x/{s.pk}-{n}.pdf", name="a.pdf", kind="pdf", uploaded_by=c.ua)
            for s in submissions
            for n in range(2)
        ]
    )
    return c


def rows_shown(response, name):
    assert response.status_code == 200
    if name.startswith("api_"):
        return len(response.json()["results"])
    return len(response.context["page"].object_list)


@pytest.mark.parametrize(("name", "who"), sorted(PINS))
def test_material_lists_are_pinned(many, name, who, django_assert_num_queries):
    client = Client()
    client.force_login(getattr(many, who))
    for size in SIZES:
        with django_assert_num_queries(PINS[(name, who)]):
            response = client.get(reverse(name), {"page_size": size})
        assert rows_shown(response, name) == size  # the page really shows that many rows
