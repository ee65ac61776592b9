"""The list pages and API lists cost the same number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Patrol, PatrolVisit, Site
from inspections.sites.selectors import site_checklist
from inspections.sites.services import patrol_check_in, patrol_record_results, patrol_start

pytestmark = pytest.mark.django_db

# session, user, COUNT, rows, session save (3: savepoint, update, release) = 7 for an API list; pages add
# the unread-notification count and, for the filter form's choices, one query per choice list.
SITE_API_QUERIES = 7
SITE_LIST_QUERIES = 11  # + notifications, site types, regions, units
PATROL_LIST_QUERIES = 8  # + notifications
PATROL_API_QUERIES = 10  # + members, visits (with sites), checklist results (with standards)


@pytest.fixture
def many(district):
    Site.objects.bulk_create(
        [
            Site(
                name=f"点位{i}",
                code=f"M{i:04d}",
                site_type=district.market if i % 2 else district.road,
                region=district.community_a,
                unit=district.unit_a,
                lat=40.07 + i / 10000,
                lng=113.30,
                is_key=i % 7 == 0,
            )
            for i in range(130)
        ]
    )
    sites = list(Site.objects.filter(site_type=district.market)[:3])
    for n in range(110):
        patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
        visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=sites[n % 3], lat=40.07, lng=113.30)
        if n % 10 == 0:
            patrol_record_results(
                actor=district.supervisor,
                visit=visit,
                results=[{"standard": s, "result": "pass"} for s in site_checklist(district.market)[:2]],
            )
    return district


def count_htmx(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("page_size", [20, 100])
def test_site_list_page(client, many, page_size, django_assert_num_queries):
    client.force_login(many.office)
    with django_assert_num_queries(SITE_LIST_QUERIES):
        response = client.get(reverse("inspections:site_list"), {"page_size": page_size})
    assert response.content.decode().count('<td class="nowrap">M') == page_size
    # The htmx table alone: no navigation, no filter form choices.
    n, response = count_htmx(client, reverse("inspections:site_list"), {"page_size": page_size, "q": "点位"})
    assert n == SITE_API_QUERIES + 1 and "<html" not in response.content.decode()  # + the context processor's count


@pytest.mark.parametrize("page_size", [20, 100])
def test_sites_api(client, many, page_size, django_assert_num_queries):
    client.force_login(many.office)
    with django_assert_num_queries(SITE_API_QUERIES):
        response = client.get("/api/v1/sites/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [20, 100])
def test_patrol_list_page(client, many, page_size, django_assert_num_queries):
    client.force_login(many.office)
    with django_assert_num_queries(PATROL_LIST_QUERIES):
        client.get(reverse("inspections:patrol_list"), {"page_size": page_size})


@pytest.mark.parametrize("page_size", [20, 100])
def test_patrols_api(client, many, page_size, django_assert_num_queries):
    client.force_login(many.office)
    with django_assert_num_queries(PATROL_API_QUERIES):
        response = client.get("/api/v1/patrols/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    assert PatrolVisit.objects.count() == 110
