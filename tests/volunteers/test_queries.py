"""Query counts of the volunteer and activity lists (page and API) are fixed, whatever the page size.

Every request pays the same overhead: session and user (2), and the session refresh of SESSION_SAVE_EVERY_REQUEST
(savepoint, update, release: 3). Pages add the unread-notification count of base.html and the filter form's
choice lists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from volunteers.models import Participation, TeamMembership, Volunteer
from volunteers.services import activity_create, id_number_with_checksum

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(vcity):
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                name=f"志愿者{n}",
                gender="male",
                phone=f"1370000{n:04d}",
                id_number=id_number_with_checksum(f"14020219800101{n:03d}"),
                region=vcity.street_a,
            )
            for n in range(130)
        ]
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=vcity.team_red, volunteer=v) for v in volunteers]
        + [TeamMembership(team=vcity.team_b, volunteer=v) for v in volunteers[::2]]
    )
    now = timezone.now()
    for n in range(120):
        activity = activity_create(
            actor=vcity.office,
            theme=f"活动{n}",
            kind="cleanup",
            start_at=now - timedelta(days=n),
            end_at=now - timedelta(days=n) + timedelta(hours=2),
            team=vcity.team_red,
            site=vcity.site_a,
        )
        Participation.objects.bulk_create(
            [
                Participation(
                    activity=activity,
                    volunteer=v,
                    hours=2,
                    day=activity.start_at.date(),
                    team_id=activity.team_id,
                    region_id=activity.region_id,
                )
                for v in volunteers[n % 7 :: 11]
            ]
        )
    return volunteers


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response


@pytest.mark.parametrize("size", [20, 100])
def test_volunteer_list_page(client, vcity, many, size, django_assert_num_queries):
    client.force_login(vcity.unit)
    client.get("/volunteers/people/")  # warm the session
    # overhead 5 + the liaison's scope 1 (its unit's region subtree: core.scope, one query once per request)
    # + notifications 1 + filter choices (teams, regions) 2 + count, rows with region, their teams 3
    with django_assert_num_queries(12):
        response = client.get(f"/volunteers/people/?page_size={size}")
    assert response.content.decode().count("/volunteers/people/") >= size


@pytest.mark.parametrize("size", [20, 100])
def test_volunteer_list_api(client, vcity, many, size, django_assert_num_queries):
    client.force_login(vcity.office)
    # overhead 5 + count, rows with region, their teams 3
    with django_assert_num_queries(8):
        response = client.get(f"/api/v1/volunteers/?page_size={size}")
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [20, 100])
def test_activity_list_api_with_participants(client, vcity, many, size, django_assert_num_queries):
    client.force_login(vcity.leader)
    # overhead 5 + count, activities with team/site/region and their sums, participants with volunteers 3
    with django_assert_num_queries(8):
        response = client.get(f"/api/v1/activities/?page_size={size}")
    results = response.json()["results"]
    assert len(results) == size and all(r["person_times"] == len(r["participants"]) for r in results)


@pytest.mark.parametrize("size", [20, 100])
def test_activity_list_page(client, vcity, many, size, django_assert_num_queries):
    client.force_login(vcity.leader)
    # overhead 5 + notifications 1 + filter choices (teams, regions) 2 + count, rows with sums 2
    with django_assert_num_queries(10):
        client.get(f"/volunteers/activities/?page_size={size}")
