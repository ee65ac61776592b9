from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.exceptions import DomainError, NotPermitted
from volunteers.models import Participation
from volunteers.services import activity_create, activity_sign_in, participation_add, participation_set_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(vcity):
    start = timezone.now() - timedelta(minutes=30)
    return activity_create(
        actor=vcity.office,
        theme="路口文明劝导",
        kind="persuasion",
        start_at=start,
        end_at=start + timedelta(hours=3),
        team=vcity.team_red,
        site=vcity.site_a,
    )


def test_activity_takes_region_from_site_and_validates(vcity, activity):
    assert activity.region == vcity.community_a and activity.sign_in_token
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        activity_create(actor=vcity.office, theme="", kind="nope", start_at=now, end_at=now, team=vcity.team_red)
    assert set(caught.value.error_dict) == {"theme", "kind", "end_at", "address"}


def test_unit_liaison_organises_only_its_own_teams(vcity):
    now = timezone.now()
    ok = activity_create(
        actor=vcity.unit,
        theme="清洁家园",
        kind="cleanup",
        start_at=now,
        end_at=now + timedelta(hours=1),
        team=vcity.team_red,
        address="南关街12号",
    )
    assert ok.team == vcity.team_red
    with pytest.raises(NotPermitted):
        activity_create(
            actor=vcity.unit,
            theme="清洁家园",
            kind="cleanup",
            start_at=now,
            end_at=now + timedelta(hours=1),
            team=vcity.team_b,
            address="北关街",
        )
    with pytest.raises(NotPermitted):
        activity_create(
            actor=vcity.leader,
            theme="x",
            kind="cleanup",
            start_at=now,
            end_at=now + timedelta(hours=1),
            team=vcity.team_red,
            address="x",
        )


def test_sign_in_adds_a_registered_volunteer_once(vcity, add_volunteer, activity):
    volunteer = add_volunteer("李明")
    participation, created = activity_sign_in(activity=activity, phone=volunteer.phone, name="李明")
    assert created and participation.source == "qr" and participation.hours == Decimal("3.0")
    assert participation.day == timezone.localtime(activity.start_at).date()
    again, created_again = activity_sign_in(activity=activity, phone=volunteer.phone, name="李明")
    assert not created_again and again.pk == participation.pk
    assert Participation.objects.count() == 1
    with pytest.raises(ValidationError):
        activity_sign_in(activity=activity, phone=volunteer.phone, name="别人")
    with pytest.raises(ValidationError):
        activity_sign_in(activity=activity, phone="123", name="李明")
    assert Participation.objects.count() == 1


def test_sign_in_window(vcity, add_volunteer, activity):
    volunteer = add_volunteer("李明")
    with pytest.raises(DomainError):
        activity_sign_in(
            activity=activity, phone=volunteer.phone, name="李明", now=activity.start_at - timedelta(hours=3)
        )
    with pytest.raises(DomainError):
        activity_sign_in(
            activity=activity, phone=volunteer.phone, name="李明", now=activity.end_at + timedelta(hours=13)
        )
    assert not Participation.objects.exists()


def test_organiser_sets_hours_others_may_not(vcity, add_volunteer, activity):
    volunteer = add_volunteer()
    participation = participation_add(actor=vcity.office, activity=activity, volunteer=volunteer, hours="1.5")
    assert participation.hours == Decimal("1.5")
    assert participation_set_hours(actor=vcity.unit, participation=participation, hours=2).hours == Decimal("2.0")
    with pytest.raises(NotPermitted):
        participation_set_hours(actor=vcity.unit2, participation=participation, hours=5)
    with pytest.raises(ValidationError):
        participation_set_hours(actor=vcity.office, participation=participation, hours=25)
    with pytest.raises(ValidationError):
        participation_add(actor=vcity.office, activity=activity, volunteer=volunteer)
    participation.refresh_from_db()
    assert participation.hours == Decimal("2.0")


def test_sign_in_page_and_qr(client, vcity, add_volunteer, activity):
    volunteer = add_volunteer("李明")
    url = f"/volunteers/sign-in/{activity.sign_in_token}/"
    page = client.get(url)  # no account needed
    assert page.status_code == 200 and "路口文明劝导" in page.content.decode()
    html = client.post(url, {"name": "李明", "phone": volunteer.phone}).content.decode()
    assert "签到成功" in html
    html = client.post(url, {"name": "李明", "phone": volunteer.phone}).content.decode()
    assert "您已签到过" in html
    html = client.post(url, {"name": "张三", "phone": volunteer.phone}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No registered volunteer has this phone number and name." in html
    assert Participation.objects.filter(activity=activity).count() == 1
    assert client.get("/volunteers/sign-in/nope/").status_code == 404
    client.force_login(vcity.leader)
    detail = client.get(f"/volunteers/activities/{activity.pk}/").content.decode()
    assert "<svg" in detail and f"http://testserver{url}" in detail and "hours-form" not in detail


def test_hours_page_and_api(client, vcity, add_volunteer, activity):
    volunteer = add_volunteer()
    participation = participation_add(actor=vcity.office, activity=activity, volunteer=volunteer)
    client.force_login(vcity.unit2)
    client.post(f"/volunteers/participations/{participation.pk}/hours/", {"hours": "9"})
    participation.refresh_from_db()
    assert participation.hours == Decimal("3.0")
    client.force_login(vcity.unit)
    client.post(f"/volunteers/participations/{participation.pk}/hours/", {"hours": "2.5"})
    participation.refresh_from_db()
    assert participation.hours == Decimal("2.5")
    response = client.post(
        f"/api/v1/activities/{activity.pk}/participants/",
        {"volunteer": volunteer.pk, "hours": "4"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["participants"][0]["hours"] == "4.0"
    assert response.json()["service_hours"] == "4.0"
    client.force_login(vcity.unit2)
    response = client.post(
        f"/api/v1/activities/{activity.pk}/participants/",
        {"volunteer": volunteer.pk, "hours": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_creates_activity(client, vcity):
    client.force_login(vcity.office)
    response = client.post(
        "/api/v1/activities/",
        {
            "theme": "政策宣传进社区",
            "kind": "policy",
            "start_at": "2026-05-01T09:00:00+08:00",
            "end_at": "2026-05-01T11:00:00+08:00",
            "team": vcity.team_b.pk,
            "address": "北关广场",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region"] == vcity.street_b.pk and body["sign_in_url"].startswith(
        "http://testserver/volunteers/sign-in/"
    )
    bad = client.post(
        "/api/v1/activities/",
        {
            "theme": "x",
            "kind": "policy",
            "start_at": "2026-05-01T09:00:00+08:00",
            "end_at": "2026-05-01T08:00:00+08:00",
            "team": vcity.team_b.pk,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "end_at" in bad.json() and "address" in bad.json()
