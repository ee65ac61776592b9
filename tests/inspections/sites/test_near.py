import pytest

from inspections.models import Site
from inspections.sites.selectors import haversine_m, sites_near

from .conftest import BASE_LAT, BASE_LNG, offset

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(district):
    """Sites at known distances from a point south of site A: 50 m, 120 m, 400 m, 900 m and 2.5 km."""
    here = offset(metres_north=-1500)
    made = {}
    for metres, name in ((400, "四百米"), (50, "五十米"), (900, "九百米"), (120, "一百二十米"), (2500, "两千五百米")):
        lat, lng = offset(metres_east=metres, lat=here[0], lng=here[1])
        made[metres] = Site.objects.create(
            name=name,
            code=f"R{metres}",
            site_type=district.market,
            region=district.community_a,
            unit=district.unit_a,
            lat=lat,
            lng=lng,
        )
    Site.objects.create(
        name="无坐标", code="R-none", site_type=district.market, region=district.community_a, unit=district.unit_a
    )
    return here, made


def test_haversine_matches_known_distance():
    # One degree of latitude is about 111.2 km.
    assert abs(haversine_m(40.0, 113.3, 41.0, 113.3) - 111_195) < 50
    lat, lng = offset(metres_north=300)
    assert abs(haversine_m(BASE_LAT, BASE_LNG, lat, lng) - 300) < 1


def test_near_orders_by_distance_and_cuts_at_the_radius(ring):
    here, made = ring
    rows = list(sites_near(Site.objects.all(), lat=here[0], lng=here[1], radius_m=1000))
    assert [s.code for s in rows] == ["R50", "R120", "R400", "R900"]
    assert all(abs(s.distance_m - m) < 2 for s, m in zip(rows, [50, 120, 400, 900]))
    # The database's distance is the same haversine as the service uses for check-ins.
    assert all(abs(s.distance_m - haversine_m(here[0], here[1], s.lat, s.lng)) < 0.01 for s in rows)


def test_api_near_query(client, ring, district):
    here, made = ring
    client.force_login(district.office)
    response = client.get("/api/v1/sites/", {"near": f"{here[0]},{here[1]}", "radius": 500})
    assert response.status_code == 200
    data = response.json()
    assert [r["code"] for r in data["results"]] == ["R50", "R120", "R400"]
    assert data["count"] == 3
    assert abs(data["results"][0]["distance_m"] - 50) < 1
    # Combined with another filter, still by distance.
    response = client.get("/api/v1/sites/", {"near": f"{here[0]},{here[1]}", "radius": 3000, "q": "百"})
    assert [r["code"] for r in response.json()["results"]] == ["R120", "R400", "R900", "R2500"]


def test_api_near_rejects_bad_input(client, district):
    client.force_login(district.office)
    response = client.get("/api/v1/sites/", {"near": "north"})
    assert response.status_code == 400 and "near" in response.json()
    response = client.get("/api/v1/sites/", {"near": "95,113", "radius": 100})
    assert response.status_code == 400
    response = client.get("/api/v1/sites/", {"near": "40,113", "radius": 10**7})
    assert response.status_code == 400 and "radius" in response.json()


def test_near_respects_scope(client, ring, district):
    client.force_login(district.unit)  # 北关社区: none of the ring sites are theirs
    here, _made = ring
    response = client.get("/api/v1/sites/", {"near": f"{here[0]},{here[1]}", "radius": 5000})
    assert [r["code"] for r in response.json()["results"]] == ["S-B"]
