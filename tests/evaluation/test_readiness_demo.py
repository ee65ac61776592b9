"""The demo's readiness: office estimates (one left to the default), twelve kept weeks for the city and each street,
a believable spread between streets (some ready, some not), and a second run adds nothing."""

import io
import random

import pytest

from evaluation.models import ReadinessInput, ReadinessSnapshot, StandardMethod
from evaluation.readiness import demo, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(db):
    from campaign import demo as campaign_demo
    from campaign.models import Region, Unit
    from core.models import User
    from evaluation.services import evaluation_load_sample
    from inspections.models import Site, SiteType
    from inspections.sites.services import reference_data_load

    campaign_demo.seed(rng=random.Random(2026), stdout=io.StringIO())
    office = User.objects.get(username="office")
    reference_data_load(actor=office)
    assert evaluation_load_sample(actor=office).ok
    types = [t for t in SiteType.objects.order_by("code") if t.standards.exists()][:3]
    unit = Unit.objects.order_by("pk").first()
    for street in Region.objects.filter(level=Region.Level.STREET).order_by("code"):
        for site_type in types:
            Site.objects.create(
                name=f"{street.name}{site_type.name}",
                code=f"RD-{street.code}-{site_type.code}",
                site_type=site_type,
                region=street,
                unit=unit,
            )
    out = io.StringIO()
    demo.seed(rng=random.Random(2026), stdout=out)
    return out.getvalue()


def test_twelve_weeks_with_a_spread_and_estimates(demo_city):
    from core.scope import CITY_WIDE

    assert "12 weeks kept" in demo_city
    weeks = sorted(set(ReadinessSnapshot.objects.values_list("week", flat=True)))
    assert len(weeks) == 12 and all(w.weekday() == 0 for w in weeks)
    assert ReadinessSnapshot.objects.filter(week=weeks[-1], region__isnull=True).exists()
    estimated = StandardMethod.objects.filter(method__in=("online", "briefing")).count()
    assert 1 <= ReadinessInput.objects.count() == estimated - 1  # one left to the default
    _totals, streets = selectors.grouped(selectors.readiness(CITY_WIDE), "region")
    shares = [row["share"] for row in streets]
    assert max(shares) - min(shares) >= 0.05, shares
    assert len(selectors.trend(CITY_WIDE)) == 12


def test_a_second_run_adds_nothing(demo_city):
    before = ReadinessSnapshot.objects.count(), ReadinessInput.objects.count()
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert (ReadinessSnapshot.objects.count(), ReadinessInput.objects.count()) == before
