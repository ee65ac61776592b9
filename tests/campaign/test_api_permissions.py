"""Everyone signed in reads the command structure; only the office writes it (pages and API)."""

import pytest

from campaign.models import Person, Unit
from core.roles import Role
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db

LISTS = ["regions", "units", "people", "command-bodies", "assignments"]


@pytest.fixture
def everyone(make_user, units, structure):
    return {
        "office": make_user("office", Role.OFFICE),
        "supervisor": structure["supervisor"].user,
        "unit": make_user("unit", Role.UNIT, unit=units["cgj"]),
        "leader": structure["leader"].user,
    }


def _writes(city, units, structure):
    return [
        ("post", "/api/v1/units/", {"name": "新单位", "code": "NEW-1", "kind": "school", "region": city["c2"].pk}),
        ("patch", f"/api/v1/units/{units['wd'].pk}/", {"name": "魏都社区居民委员会"}),
        ("post", "/api/v1/regions/", {"name": "新网格", "code": "G-NEW", "level": 5, "parent": city["c2"].pk}),
        ("post", "/api/v1/people/", {"name": "新人", "rank": "section", "unit": units["ng"].pk}),
        ("patch", f"/api/v1/command-bodies/{structure['group'].pk}/", {"regions": [city["s1"].pk, city["s2"].pk]}),
        (
            "post",
            "/api/v1/assignments/",
            {
                "person": structure["leader"].pk,
                "region": city["s2"].pk,
                "required_visits_per_week": 1,
                "start_date": "2026-03-02",
            },
        ),
    ]


@pytest.mark.parametrize("role", ["office", "supervisor", "unit", "leader"])
def test_every_role_reads_the_lists(client, everyone, role):
    client.force_login(everyone[role])
    for name in LISTS:
        response = client.get(f"/api/v1/{name}/")
        assert response.status_code == 200, name
        assert set(response.json()) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("role", ["supervisor", "unit", "leader"])
def test_writes_are_refused_to_everyone_but_the_office(client, everyone, city, units, structure, role):
    client.force_login(everyone[role])
    before = (Unit.objects.count(), Person.objects.count(), list(structure["group"].regions.all()))
    for method, url, data in _writes(city, units, structure):
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 403, (method, url)
    assert (Unit.objects.count(), Person.objects.count(), list(structure["group"].regions.all())) == before
    for url in [
        "/campaign/units/new/",
        f"/campaign/units/{units['wd'].pk}/edit/",
        "/campaign/regions/new/",
        "/campaign/people/new/",
        "/campaign/bodies/new/",
        f"/campaign/bodies/{structure['group'].pk}/edit/",
        "/campaign/assignments/new/",
    ]:
        assert client.get(url).status_code == 403, url


def test_the_office_writes_through_the_api(client, everyone, city, units, structure):
    client.force_login(everyone["office"])
    for method, url, data in _writes(city, units, structure):
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code in (200, 201), (method, url, response.content)
    assert Unit.objects.get(pk=units["wd"].pk).name == "魏都社区居民委员会"
    assert set(structure["group"].regions.values_list("name", flat=True)) == {"南关街道", "北关街道"}
    assert structure["leader"].assignments.get().region == city["s2"]


def test_anonymous_is_refused(client, units):
    assert client.get("/api/v1/units/").status_code in (401, 403)
    assert client.get("/campaign/units/").status_code == 302


def test_nothing_is_deleted_through_the_api(client, everyone, units):
    client.force_login(everyone["office"])
    assert client.delete(f"/api/v1/units/{units['wd'].pk}/").status_code == 405
    assert Unit.objects.filter(pk=units["wd"].pk).exists()


def test_command_bodies_api_carries_members_and_regions(client, everyone, structure, city):
    client.force_login(everyone["leader"])
    data = client.get("/api/v1/command-bodies/?kind=supervision_group").json()
    (group,) = data["results"]
    assert group["regions"] == [city["s1"].pk]
    assert {(m["person_name"], m["role"]) for m in group["members"]} == {("督导员甲", "member"), ("副区长乙", "leader")}


def test_memberships_are_added_and_removed_by_the_office_only(client, everyone, structure, units):
    from campaign import services
    from campaign.models import Membership

    newcomer = services.person_create(actor=OFFICE, name="新成员", unit=units["ng"])
    payload = {"body": structure["group"].pk, "person": newcomer.pk, "role": "member"}
    client.force_login(everyone["supervisor"])
    assert client.post("/api/v1/memberships/", payload, content_type="application/json").status_code == 403
    client.force_login(everyone["office"])
    response = client.post("/api/v1/memberships/", payload, content_type="application/json")
    assert response.status_code == 201
    again = client.post("/api/v1/memberships/", payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "already a member" in again.json()["person"][0]
    membership_id = response.json()["id"]
    client.force_login(everyone["leader"])
    assert client.delete(f"/api/v1/memberships/{membership_id}/").status_code == 403
    client.force_login(everyone["office"])
    assert client.delete(f"/api/v1/memberships/{membership_id}/").status_code == 204
    assert not Membership.objects.filter(pk=membership_id).exists()
    assert Membership.history.filter(id=membership_id, history_type="-").exists()
