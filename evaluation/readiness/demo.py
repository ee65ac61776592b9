"""The demo city's readiness: the office's estimates for the online survey and the briefing (one left without, so the
page shows a default "estimated"), twelve weekly rounds of third-party mock evaluations at a few sites of each street
(scored by how ready the street is, better week by week: some streets ready, some not), and the twelve kept weekly
snapshots computed from that evidence (with the patrols, material and surveys of the other demo parts).
Idempotent: nothing happens when snapshots exist or the evaluation system, streets or the office are missing."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaign.models import Region
from core.models import User
from evaluation.models import ReadinessInput, ReadinessSnapshot, StandardMethod
from inspections.models import ChecklistResult, Patrol, PatrolVisit, Site

from . import scoring, services

WEEKS = 12
SITES_PER_STREET = 12
# How ready each street is (the share its mock evaluations score), in the order of the street codes.
LEVELS = (0.97, 0.42, 0.9, 0.52, 0.98, 0.38, 0.85, 0.62, 0.93, 0.47)
GAIN_PER_WEEK = 0.012


def seed(*, rng, stdout):
    if ReadinessSnapshot.objects.exists():
        return
    office = User.objects.filter(username="office").first()
    streets = list(Region.objects.filter(level=Region.Level.STREET).order_by("code"))
    if office is None or not streets or not StandardMethod.objects.exists():
        return
    started = timezone.now()
    with transaction.atomic():
        inputs = _estimates(office, rng)
        results = _mock_evaluations(office, streets, rng)
    today = timezone.localdate()
    monday = services.week_of(today)
    for weeks_back in range(WEEKS - 1, -1, -1):
        services.readiness_snapshot(week=monday - timedelta(weeks=weeks_back))
    stdout.write(
        f"evaluation (readiness): {inputs} estimates, {results} mock-evaluation results, "
        f"{WEEKS} weeks kept ({ReadinessSnapshot.objects.count()} rows) in "
        f"{(timezone.now() - started).total_seconds():.1f} s\n"
    )


def _estimates(office, rng) -> int:
    rows = list(
        StandardMethod.objects.filter(method__in=scoring.ESTIMATED)
        .select_related("standard")
        .order_by("standard__code")
    )
    created = 0
    for index, row in enumerate(rows):
        if index == len(rows) - 1 and len(rows) > 1:
            continue  # one left to the default, shown as "estimated"
        share = Decimal(rng.choice(("0.75", "0.80", "0.85", "0.90")))
        ReadinessInput.objects.create(
            standard=row.standard, method=row.method, share=share, note="据往年测评情况估计", set_by=office
        )
        created += 1
    return created


def _mock_evaluations(office, streets, rng) -> int:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    planned = []  # (patrol, visit, checklist, progress): patrols and visits go in with bulk_create, then the results
    for position, street in enumerate(streets):
        level = LEVELS[position % len(LEVELS)]
        sites, types = [], set()
        for site in (
            Site.objects.filter(
                region__path__startswith=street.path, is_active=True, site_type__standards__isnull=False
            )
            .distinct()
            .select_related("site_type")
            .order_by("code")
        ):
            if site.site_type_id not in types and len(sites) < SITES_PER_STREET:
                sites.append(site)  # one site of each type: the mock evaluation samples across the checklist
                types.add(site.site_type_id)
        for site in sites:
            checklist = list(site.site_type.standards.filter(max_score__gt=0).order_by("code"))
            for weeks_back in range(WEEKS - 1, -1, -1):
                day = min(today, monday - timedelta(weeks=weeks_back) + timedelta(days=rng.randint(0, 4)))
                when = timezone.make_aware(datetime.combine(day, time(9 + rng.randint(0, 6))))
                patrol = Patrol(
                    kind=Patrol.Kind.MOCK_EVALUATION,
                    title=f"第三方模拟测评（{street.name}）",
                    leader=office,
                    status=Patrol.Status.FINISHED,
                    started_at=when,
                    finished_at=when + timedelta(hours=2),
                )
                visit = PatrolVisit(patrol=patrol, site=site, visitor=office, checked_in_at=when)
                planned.append((patrol, visit, checklist, level + GAIN_PER_WEEK * (WEEKS - 1 - weeks_back)))
    Patrol.objects.bulk_create([patrol for patrol, _v, _c, _p in planned])
    for patrol, visit, _c, _p in planned:
        visit.patrol = patrol  # now with its id
    PatrolVisit.objects.bulk_create([visit for _p, visit, _c, _g in planned])
    results = []
    for _patrol, visit, checklist, progress in planned:
        for standard in checklist:
            fraction = max(0.0, min(1.0, progress + rng.uniform(-0.12, 0.08)))
            score = (standard.max_score * Decimal(str(round(fraction, 2)))).quantize(Decimal("0.1"))
            results.append(
                ChecklistResult(
                    visit=visit,
                    standard=standard,
                    result=ChecklistResult.Result.PASS if fraction >= 0.6 else ChecklistResult.Result.FAIL,
                    score=score,
                )
            )
    ChecklistResult.objects.bulk_create(results)
    return len(results)
