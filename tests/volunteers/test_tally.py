"""The period tallies behind the volunteer figures: every write service keeps them equal to a recount from the
participations; calendar periods are read from them; a race between two sign-ins of one person counts them once."""

import random
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from volunteers import selectors, tally
from volunteers.models import Participation, PeriodTally
from volunteers.services import (
    activity_create,
    activity_sign_in,
    activity_update,
    participation_add,
    participation_remove,
    participation_set_hours,
)

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=9):
    return datetime(y, m, d, h, tzinfo=TZ)


def cells():
    """The non-empty cells (a cell emptied by removals stays as a row of zeros; a rebuild leaves it out)."""
    return {
        (row.kind, row.period_start, row.dimension, row.key): (row.active, row.person_times, row.hours)
        for row in PeriodTally.objects.all()
        if (row.active, row.person_times, row.hours) != (0, 0, 0)
    }


def counted(start, end):
    return selectors._volunteer_figures(start=start, end=end, parts=selectors._counted_measures(start=start, end=end))


def test_calendar_period_rule():
    assert tally.calendar_period(date(2026, 3, 1), date(2026, 3, 31)) == "M"
    assert tally.calendar_period(date(2026, 3, 1), date(2026, 3, 10)) == "M"
    assert tally.calendar_period(date(2026, 4, 1), date(2026, 6, 30)) == "Q"
    assert tally.calendar_period(date(2026, 1, 1), date(2026, 5, 31)) == "Y"
    assert tally.calendar_period(date(2026, 1, 1), date(2026, 12, 31)) == "Y"
    assert tally.calendar_period(date(2026, 3, 1), date(2026, 5, 31)) is None  # not a quarter
    assert tally.calendar_period(date(2026, 3, 2), date(2026, 3, 31)) is None
    assert tally.calendar_period(date(2025, 1, 1), date(2026, 1, 31)) is None  # two years
    assert tally.period_end("Q", date(2026, 10, 1)) == date(2026, 12, 31)
    assert tally.period_end("M", date(2028, 2, 1)) == date(2028, 2, 29)


@pytest.mark.django_db
def test_every_service_keeps_the_tallies_equal_to_a_recount(vcity, add_volunteer):
    """Random sign-ins, additions, hour changes, removals and activity moves across month, quarter and year
    boundaries; after each step the incremental cells equal a rebuild, and every calendar period's figures read
    from the tallies equal the figures counted from the participations."""
    rng = random.Random(7)
    people = [add_volunteer(f"人{i}") for i in range(6)]
    teams, sites = [vcity.team_red, vcity.team_b], [vcity.site_a, vcity.site_b, None]
    days = [at(2025, 12, 31, 20), at(2026, 1, 1), at(2026, 3, 31, 23), at(2026, 4, 1), at(2026, 4, 15), at(2026, 7, 1)]
    activities = []
    for i, start in enumerate(days):
        site = sites[i % 3]
        activities.append(
            activity_create(
                actor=vcity.office,
                theme=f"活动{i}",
                kind="cleanup",
                start_at=start,
                end_at=start + timedelta(hours=2),
                team=teams[i % 2],
                site=site,
                address="" if site else "南关",
            )
        )
    for step in range(60):
        action = rng.choice(["sign_in", "add", "add", "hours", "remove", "move"])
        activity, person = rng.choice(activities), rng.choice(people)
        existing = list(Participation.objects.all())
        if action == "sign_in":
            activity_sign_in(activity=activity, phone=person.phone, name=person.name, now=activity.start_at)
        elif action == "add" and not Participation.objects.filter(activity=activity, volunteer=person).exists():
            participation_add(actor=vcity.office, activity=activity, volunteer=person, hours=rng.choice([1, "2.5"]))
        elif action == "hours" and existing:
            participation_set_hours(
                actor=vcity.office, participation=rng.choice(existing), hours=rng.choice([0, 3, "4.5"])
            )
        elif action == "remove" and existing:
            participation_remove(actor=vcity.office, participation=rng.choice(existing))
        elif action == "move":
            start, site = rng.choice(days) + timedelta(minutes=step), rng.choice(sites)
            activity_update(
                actor=vcity.office,
                activity=activity,
                theme=activity.theme,
                kind=activity.kind,
                start_at=start,
                end_at=start + timedelta(hours=2),
                team=rng.choice(teams),
                site=site,
                address="" if site else "北关",
            )
            activities = [type(activity).objects.get(pk=a.pk) for a in activities]
        incremental = cells()
        tally.rebuild()
        assert cells() == incremental, (step, action)
    assert Participation.objects.count() > 10
    for start, end in [
        (date(2025, 12, 1), date(2025, 12, 31)),
        (date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 1, 1), date(2026, 3, 31)),
    ]:
        assert selectors._tallied_measures(start=start, end=end) is not None
        assert selectors.volunteer_figures(start=start, end=end) == counted(start, end), (start, end)


@pytest.mark.django_db
def test_calendar_periods_are_read_from_the_tallies_and_others_are_counted(vcity, add_volunteer):
    a, b = add_volunteer("甲"), add_volunteer("乙")
    march = activity_create(
        actor=vcity.office,
        theme="三月",
        kind="cleanup",
        start_at=at(2026, 3, 10),
        end_at=at(2026, 3, 10, 11),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    late = activity_create(
        actor=vcity.office,
        theme="月底",
        kind="cleanup",
        start_at=at(2026, 3, 30),
        end_at=at(2026, 3, 30, 11),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    participation_add(actor=vcity.office, activity=march, volunteer=a)
    participation_add(actor=vcity.office, activity=march, volunteer=b)
    participation_add(actor=vcity.office, activity=late, volunteer=a)

    with CaptureQueriesContext(connection) as captured:
        figures = selectors.volunteer_figures(start=date(2026, 1, 1), end=date(2026, 12, 31))
    sql = " ".join(q["sql"] for q in captured.captured_queries).upper()
    assert "COUNT(DISTINCT" not in sql and "VOLUNTEERS_PERIODTALLY" in sql
    assert figures["totals"]["active"] == 2 and figures["totals"]["person_times"] == 3

    # March to the 20th: the tallies of March hold the 30th too, so this period is counted, and right.
    with CaptureQueriesContext(connection) as captured:
        to_20th = selectors.volunteer_figures(start=date(2026, 3, 1), end=date(2026, 3, 20))
    assert "COUNT(DISTINCT" in " ".join(q["sql"] for q in captured.captured_queries).upper()
    assert to_20th["totals"]["person_times"] == 2 and to_20th == counted(date(2026, 3, 1), date(2026, 3, 20))
    # March to the 30th: nothing after it in March, so the month's tallies answer.
    assert selectors._tallied_measures(start=date(2026, 3, 1), end=date(2026, 3, 30)) is not None
    assert selectors.volunteer_figures(start=date(2026, 3, 1), end=date(2026, 3, 30))["totals"]["person_times"] == 3


@pytest.mark.django_db
def test_moving_an_activity_moves_its_participants(vcity, add_volunteer):
    a = add_volunteer("甲")
    activity = activity_create(
        actor=vcity.office,
        theme="劝导",
        kind="persuasion",
        start_at=at(2026, 3, 31, 23),
        end_at=at(2026, 4, 1, 1),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    participation = participation_add(actor=vcity.office, activity=activity, volunteer=a, hours=2)
    activity_update(
        actor=vcity.office,
        activity=activity,
        theme="劝导",
        kind="persuasion",
        start_at=at(2026, 4, 2),
        end_at=at(2026, 4, 2, 11),
        team=vcity.team_b,
        site=None,
        address="北关",
    )
    participation.refresh_from_db()
    assert (participation.day, participation.team_id, participation.region_id) == (
        date(2026, 4, 2),
        vcity.team_b.pk,
        vcity.team_b.region_id,
    )
    assert participation.hours == 2  # hours stay as entered
    march = selectors.volunteer_figures(start=date(2026, 3, 1), end=date(2026, 3, 31))
    april = selectors.volunteer_figures(start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert march["totals"]["active"] == 0 and march["totals"]["person_times"] == 0
    assert april["totals"]["active"] == 1 and april["totals"]["hours"] == 2.0
    assert {r["team"]: r["active"] for r in april["by_team"]} == {"红小帽": 0, "北关志愿队": 1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_sign_ins_of_one_person_at_once_count_them_once(transactional_db, vcity, add_volunteer):
    """The first sign-in holds its transaction open; the second, in another connection, must wait for the
    volunteer's row lock and then see the first, or the person would be counted active twice."""
    person = add_volunteer("甲")
    now = at(2026, 5, 10)
    first, second = (
        activity_create(
            actor=vcity.office,
            theme=f"活动{i}",
            kind="cleanup",
            start_at=now,
            end_at=now + timedelta(hours=2),
            team=vcity.team_red,
            site=vcity.site_a,
        )
        for i in range(2)
    )
    first_signed, errors = threading.Event(), []

    def sign_first():
        try:
            with transaction.atomic():
                activity_sign_in(activity=first, phone=person.phone, name="甲", now=now)
                first_signed.set()
                time.sleep(1.0)  # the second sign-in runs meanwhile and must wait
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    def sign_second():
        try:
            first_signed.wait(timeout=10)
            activity_sign_in(activity=second, phone=person.phone, name="甲", now=now)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_first), threading.Thread(target=sign_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    month = PeriodTally.objects.get(kind="M", period_start=date(2026, 5, 1), dimension="all", key=0)
    assert (month.active, month.person_times) == (1, 2)
    assert selectors.volunteer_figures(start=date(2026, 5, 1), end=date(2026, 5, 31))["totals"]["active"] == 1


@pytest.mark.django_db
def test_nightly_rebuild_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="volunteers.rebuild_tallies")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("3", "30")


@pytest.mark.django_db
def test_moving_an_activity_costs_the_same_queries_for_one_or_many_participants(vcity, add_volunteer):
    people = [add_volunteer(f"人{i}") for i in range(8)]
    counts = []
    for size in (1, 8):
        activity = activity_create(
            actor=vcity.office,
            theme=f"活动{size}",
            kind="cleanup",
            start_at=at(2026, 3, 10),
            end_at=at(2026, 3, 10, 11),
            team=vcity.team_red,
            site=vcity.site_a,
        )
        for person in people[:size]:
            participation_add(actor=vcity.office, activity=activity, volunteer=person)
        with CaptureQueriesContext(connection) as captured:
            activity_update(
                actor=vcity.office,
                activity=activity,
                theme=activity.theme,
                kind="cleanup",
                start_at=at(2026, 4, 10),
                end_at=at(2026, 4, 10, 11),
                team=vcity.team_b,
                site=vcity.site_b,
            )
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    incremental = cells()
    tally.rebuild()
    assert cells() == incremental
