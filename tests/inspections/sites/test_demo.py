import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_demo_sites_seed_builds_a_patrolled_city_and_is_idempotent():
    from campaign import demo as campaign_demo
    from inspections.models import ChecklistResult, Patrol, PatrolVisit, Site, SiteType, Ticket
    from inspections.sites import demo as demo_sites
    from inspections.sites.selectors import leader_visit_summary, monday_of

    campaign_demo.seed(rng=random.Random(7), stdout=io.StringIO())
    out = io.StringIO()
    demo_sites.seed(rng=random.Random(7), stdout=out)
    assert Site.objects.count() >= 400
    assert SiteType.objects.filter(sites__isnull=False).distinct().count() >= 20
    assert Site.objects.filter(is_key=True).count() >= 15
    assert Site.objects.filter(lat__isnull=True).count() == 0
    # Spread over a few km around Datong.
    lats = list(Site.objects.values_list("lat", flat=True))
    assert 40.0 < min(lats) < max(lats) < 40.15 and max(lats) - min(lats) > 0.02
    first = timezone.now() - timedelta(days=100)
    assert Patrol.objects.filter(started_at__lt=timezone.now() - timedelta(days=70)).exists()
    assert not Patrol.objects.filter(started_at__lt=first).exists()
    assert {k for k in Patrol.objects.values_list("kind", flat=True).distinct()} >= {
        "leader_split",
        "supervision_group",
        "self_inspection",
        "video",
        "mock_evaluation",
    }
    assert ChecklistResult.objects.count() > 500
    joint = Patrol.objects.filter(kind="leader_joint")
    assert joint.exists() and not joint.filter(members__isnull=True).exists()
    assert PatrolVisit.objects.filter(too_far=True).exists()
    assert not PatrolVisit.objects.filter(patrol__kind="video", lat__isnull=False).exists()
    assert PatrolVisit.objects.filter(patrol__kind="mock_evaluation", score__isnull=False).exists()
    # This week's failed items went through the ticket service.
    failed = ChecklistResult.objects.filter(result="fail")
    assert failed.exists() and not failed.filter(ticket__isnull=True).exists()
    assert Ticket.objects.filter(standard__isnull=False, patrol_visit__isnull=False).count() == failed.count()
    # The demo leader has assignments, visits, and last week some leaders were short.
    rows = leader_visit_summary(week_start=monday_of(timezone.localdate()) - timedelta(days=7))
    assert any(r["shortfall"] > 0 for r in rows) and any(r["shortfall"] == 0 and r["visits"] > 0 for r in rows)
    from campaign.models import Person

    leader = Person.objects.get(user__username="leader")
    assert leader.assignments.filter(site__isnull=False).exists()
    assert PatrolVisit.objects.filter(visitor__username="leader").exists()

    counts = (Site.objects.count(), Patrol.objects.count(), ChecklistResult.objects.count())
    demo_sites.seed(rng=random.Random(8), stdout=out)
    assert (Site.objects.count(), Patrol.objects.count(), ChecklistResult.objects.count()) == counts
