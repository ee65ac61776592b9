import pytest

pytestmark = pytest.mark.django_db


def test_team_api(client, vcity):
    client.force_login(vcity.office)
    response = client.post(
        "/api/v1/volunteer-teams/",
        {"name": "乐小爱", "is_brand": True, "unit": vcity.unit_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["member_count"] == 0
    again = client.post("/api/v1/volunteer-teams/", {"name": "乐小爱"}, content_type="application/json")
    assert again.status_code == 400 and "name" in again.json()
    assert client.get("/api/v1/volunteer-teams/?is_brand=true").json()["count"] == 2
    client.force_login(vcity.unit)
    assert client.post("/api/v1/volunteer-teams/", {"name": "新队"}, content_type="application/json").status_code == 403


def test_volunteer_api_create_and_filters(client, vcity, add_volunteer):
    from tests.volunteers.builders import valid_id

    add_volunteer("甲", teams=[vcity.team_red], region=vcity.community_a)
    add_volunteer("乙", teams=[vcity.team_b], region=vcity.street_b)
    client.force_login(vcity.office)
    response = client.post(
        "/api/v1/volunteers/",
        {
            "name": "丙",
            "gender": "male",
            "phone": "13612345678",
            "id_number": valid_id(77),
            "teams": [vcity.team_red.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["phone"] == "13612345678"
    bad = client.post(
        "/api/v1/volunteers/",
        {"name": "丁", "gender": "male", "phone": "13612345678", "id_number": "123"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"phone", "id_number"} <= set(bad.json())
    assert client.get(f"/api/v1/volunteers/?team={vcity.team_red.pk}").json()["count"] == 2
    assert client.get(f"/api/v1/volunteers/?region={vcity.street_a.pk}").json()["count"] == 1  # 甲, in its community
    assert client.get(f"/api/v1/volunteers/?region={vcity.district.pk}").json()["count"] == 2
    assert client.get("/api/v1/volunteers/?q=13612345678").json()["count"] == 1
    assert client.get("/api/v1/volunteers/?q=1361234").json()["count"] == 0  # no partial phone search


def test_pairing_api(client, vcity):
    client.force_login(vcity.office)
    response = client.post(
        "/api/v1/pairings/",
        {"unit": vcity.unit_a.pk, "community": vcity.community_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    added = client.post(
        f"/api/v1/pairings/{pk}/joint-activities/",
        {"title": "共建清洁日", "held_on": "2030-01-01", "participants": 20},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["joint_activities"][0]["participants"] == 20
    bad = client.post(
        "/api/v1/pairings/",
        {"unit": vcity.unit_b.pk, "community": vcity.community_a.pk},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and bad.json()["unit"] == ["Only a civilized unit can be paired with a community."]
