"""The unit list page and the units API cost the same number of queries at any page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaign import services
from campaign.models import Unit
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_units(city, structure):
    regions = [city["c1"], city["c2"], city["c3"], city["s1"]]
    for i in range(130):
        services.unit_create(
            actor=OFFICE,
            name=f"单位{i:03d}",
            code=f"U-{i:03d}",
            kind=Unit.Kind.ENTERPRISE,
            region=regions[i % 4],
            civilized_level="municipal" if i % 5 == 0 else "",
            civilized_year=2024 if i % 5 == 0 else None,
        )
    services.person_create(actor=OFFICE, name="联络员", unit=Unit.objects.get(code="U-001"))


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "url, rows",
    [
        ("/campaign/units/?page_size={size}", lambda r: len(r.context["page"].object_list)),
        ("/api/v1/units/?page_size={size}", lambda r: len(r.json()["results"])),
        ("/campaign/people/?page_size={size}", lambda r: len(r.context["page"].object_list)),
        ("/campaign/assignments/?page_size={size}", lambda r: len(r.context["page"].object_list)),
        ("/api/v1/command-bodies/?page_size={size}", lambda r: len(r.json()["results"])),
    ],
)
def test_query_count_does_not_grow_with_the_page_size(client, users, many_units, url, rows, django_assert_num_queries):
    client.force_login(users["office"])
    _count(client, url.format(size=20))  # warm the session
    small, response = _count(client, url.format(size=20))
    large, response_large = _count(client, url.format(size=100))
    assert small == large
    assert rows(response_large) >= rows(response)


def test_pinned_counts(client, users, many_units, django_assert_num_queries):
    client.force_login(users["office"])
    client.get("/campaign/units/")
    for size in (20, 100):
        # session, user, count, unread notifications, region choices of the filter form, page, and the
        # session saved on every request (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST)
        with django_assert_num_queries(9):
            response = client.get(f"/campaign/units/?page_size={size}")
        assert len(response.context["page"].object_list) == size
        # session, user, count, page, and the session saved (savepoint, update, release)
        with django_assert_num_queries(7):
            data = client.get(f"/api/v1/units/?page_size={size}").json()
        assert len(data["results"]) == size and data["count"] == 134


def test_pages_and_export_keep_the_filters(client, users, many_units):
    client.force_login(users["office"])
    html = client.get("/campaign/units/?kind=enterprise").content.decode()
    assert 'href="?kind=enterprise&amp;page=2"' in html
    assert 'href="/campaign/units/export.xlsx?kind=enterprise"' in html
    partial = client.get("/campaign/units/?kind=enterprise&page=2", HTTP_HX_REQUEST="true").content.decode()
    assert 'href="?kind=enterprise&amp;page=3"' in partial and 'href="?kind=enterprise&amp;page=1"' in partial
    assert 'href="/campaign/units/export.xlsx?kind=enterprise"' in partial
