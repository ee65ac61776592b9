"""Query counts of the asset list (page and API) are fixed, whatever the page size (see tests/volunteers/test_queries.py
for the per-request overhead)."""

import pytest

from publicity.models import Asset

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(vcity):
    Asset.objects.bulk_create(
        [
            Asset(
                code=f"T-{n:05d}",
                kind="poster",
                theme=f"海报{n}",
                site=vcity.site_a if n % 2 else None,
                lat=None if n % 2 else 40.0,
                lng=None if n % 2 else 113.0,
                address="东街",
                region=vcity.community_a,
                unit=vcity.unit_a,
                quantity=n + 1,
            )
            for n in range(130)
        ]
    )


@pytest.mark.parametrize("size", [20, 100])
def test_asset_list_page(client, vcity, many, size, django_assert_num_queries):
    client.force_login(vcity.unit)
    # overhead 5 + the liaison's scope 1 (core.scope, once per request) + notifications 1 + filter choices
    # (regions, units) 2 + count, rows with site/region/unit 2
    with django_assert_num_queries(11):
        response = client.get(f"/publicity/assets/?page_size={size}")
    assert response.content.decode().count("/publicity/assets/T") == 0
    assert response.content.decode().count('href="/publicity/assets/') >= size


@pytest.mark.parametrize("size", [20, 100])
def test_asset_list_api(client, vcity, many, size, django_assert_num_queries):
    client.force_login(vcity.unit)
    # overhead 5 + the liaison's scope 1 (core.scope, once per request) + count, rows with site/region/unit 2
    with django_assert_num_queries(8):
        response = client.get(f"/api/v1/publicity-assets/?page_size={size}")
    assert len(response.json()["results"]) == size
