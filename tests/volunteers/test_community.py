from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import InvalidTransition, NotPermitted
from tests.volunteers.builders import jpeg
from volunteers.models import MicroWish
from volunteers.services import (
    joint_activity_add,
    microwish_claim,
    microwish_fulfil,
    microwish_post,
    pairing_create,
    party_report_create,
)

pytestmark = pytest.mark.django_db


def test_pairing_needs_a_civilized_unit_and_a_community(vcity):
    with pytest.raises(ValidationError) as caught:
        pairing_create(actor=vcity.office, unit=vcity.unit_b, community=vcity.community_a)
    assert "unit" in caught.value.error_dict
    with pytest.raises(ValidationError):
        pairing_create(actor=vcity.office, unit=vcity.unit_a, community=vcity.street_a)
    with pytest.raises(NotPermitted):
        pairing_create(actor=vcity.unit, unit=vcity.unit_a, community=vcity.community_a)
    pairing = pairing_create(
        actor=vcity.office, unit=vcity.unit_a, community=vcity.community_a, start_date=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError):
        pairing_create(actor=vcity.office, unit=vcity.unit_a, community=vcity.community_a)
    joint_activity_add(actor=vcity.unit, pairing=pairing, title="共建清洁日", held_on=date(2026, 2, 1), participants=30)
    with pytest.raises(NotPermitted):
        joint_activity_add(actor=vcity.unit2, pairing=pairing, title="x", held_on=date(2026, 2, 1))
    with pytest.raises(ValidationError):
        joint_activity_add(actor=vcity.office, pairing=pairing, title="早于共建", held_on=date(2025, 2, 1))
    assert pairing.joint_activities.count() == 1


def test_party_member_reports_once_a_month(vcity, add_volunteer):
    member = add_volunteer("党员甲", party=True)
    other = add_volunteer("群众乙")
    report = party_report_create(
        actor=vcity.office,
        member=member,
        community=vcity.community_a,
        month=date(2026, 3, 17),
        service="参与垃圾分类宣传",
        hours=4,
    )
    assert report.month == date(2026, 3, 1)
    with pytest.raises(ValidationError):
        party_report_create(
            actor=vcity.office, member=member, community=vcity.community_a, month=date(2026, 3, 2), service="again"
        )
    with pytest.raises(ValidationError) as caught:
        party_report_create(
            actor=vcity.office, member=other, community=vcity.community_a, month=date(2026, 3, 1), service="x"
        )
    assert "member" in caught.value.error_dict


def test_micro_wish_states_are_enforced(vcity, add_volunteer):
    volunteer = add_volunteer()
    wish = microwish_post(
        actor=vcity.unit2,
        community=vcity.community_a,
        resident_name="张奶奶",
        resident_phone="13911112222",
        title="需要一副老花镜",
    )
    assert wish.status == MicroWish.Status.POSTED
    with pytest.raises(InvalidTransition):
        microwish_fulfil(actor=vcity.office, wish=wish, photo=jpeg())
    with pytest.raises(ValidationError):
        microwish_claim(actor=vcity.office, wish=wish)  # neither volunteer nor unit
    wish = microwish_claim(actor=vcity.unit, wish=wish)  # a liaison claims for their own unit
    assert wish.status == MicroWish.Status.CLAIMED and wish.claimed_by_unit == vcity.unit_a
    with pytest.raises(InvalidTransition):
        microwish_claim(actor=vcity.office, wish=wish, volunteer=volunteer)
    with pytest.raises(NotPermitted):
        microwish_fulfil(actor=vcity.unit2, wish=wish, photo=jpeg())
    with pytest.raises(ValidationError):
        microwish_fulfil(actor=vcity.unit, wish=wish, photo=None)
    wish = microwish_fulfil(actor=vcity.unit, wish=wish, photo=jpeg(), note="已送到")
    assert wish.status == MicroWish.Status.FULFILLED and wish.fulfilment_photo and wish.fulfilled_at
    with pytest.raises(InvalidTransition):
        microwish_fulfil(actor=vcity.office, wish=wish, photo=jpeg())


def test_micro_wish_api(client, vcity, add_volunteer):
    volunteer = add_volunteer()
    client.force_login(vcity.office)
    response = client.post(
        "/api/v1/micro-wishes/",
        {
            "community": vcity.community_a.pk,
            "resident_name": "李爷爷",
            "resident_phone": "13911112222",
            "title": "修理轮椅",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert (
        client.post(
            f"/api/v1/micro-wishes/{pk}/claim/", {"volunteer": volunteer.pk}, content_type="application/json"
        ).json()["status"]
        == "claimed"
    )
    again = client.post(
        f"/api/v1/micro-wishes/{pk}/claim/", {"volunteer": volunteer.pk}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["detail"] == "只有已发布的心愿可以认领。"
    done = client.post(f"/api/v1/micro-wishes/{pk}/fulfil/", {"photo": jpeg(), "note": "修好了"})
    assert done.status_code == 200 and done.json()["status"] == "fulfilled"
    client.force_login(vcity.leader)
    assert client.get("/api/v1/micro-wishes/").json()["results"][0]["resident_phone"] == "139****2222"


def test_community_pages(client, vcity, add_volunteer):
    member = add_volunteer("党员甲", party=True)
    client.force_login(vcity.office)
    response = client.post(
        "/volunteers/pairings/",
        {"unit": vcity.unit_a.pk, "community": vcity.community_a.pk, "start_date": "2026-01-01", "content": "共建"},
    )
    assert response.status_code == 302
    response = client.post(
        "/volunteers/party-reports/",
        {
            "member_phone": member.phone,
            "community": vcity.community_a.pk,
            "month": "2026-03",
            "service": "巡逻",
            "hours": "2",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/volunteers/micro-wishes/", {"community": vcity.community_a.pk, "resident_name": "王", "title": "一个书包"}
    )
    assert response.status_code == 302
    for url in (
        "/volunteers/pairings/",
        "/volunteers/party-reports/",
        "/volunteers/micro-wishes/",
        "/volunteers/teams/",
        "/volunteers/activities/",
        f"/volunteers/teams/{vcity.team_red.pk}/",
    ):
        assert client.get(url).status_code == 200, url
