"""The demo's responsibility list: believable for the demo accounts (several duties each, some done, some overdue,
some due soon), every duty's method one of its standard's, and a second run adds nothing."""

import io
import random

import pytest

from evaluation.models import Responsibility, StandardMethod
from evaluation.responsibilities import demo
from evaluation.responsibilities.selectors import duty_counts, unit_duties

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_list(db):
    from campaign import demo as campaign_demo
    from core.models import User
    from evaluation.services import evaluation_load_sample
    from inspections.sites.services import reference_data_load

    campaign_demo.seed(rng=random.Random(2026), stdout=io.StringIO())
    office = User.objects.get(username="office")
    reference_data_load(actor=office)
    assert evaluation_load_sample(actor=office).ok
    demo.seed(rng=random.Random(2026), stdout=io.StringIO())


@pytest.mark.parametrize("username", ["unit", "unit2"])
def test_demo_accounts_have_done_overdue_and_due_soon_duties(demo_list, username):
    from core.models import User

    user = User.objects.get(username=username)
    counts = duty_counts(unit_duties(user=user, unit=user.unit))
    assert counts["total"] >= 5
    assert counts["done"] >= 1 and counts["overdue"] >= 1 and counts["due_soon"] >= 1


def test_demo_duties_follow_their_standards_and_seed_once(demo_list):
    total = Responsibility.objects.count()
    assert total > 30
    methods = set(StandardMethod.objects.values_list("standard_id", "method"))
    assert all((d.standard_id, d.method) in methods for d in Responsibility.objects.all())
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert Responsibility.objects.count() == total
