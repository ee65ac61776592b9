"""Correcting volunteers and activities (pages and API), removing participants, the figures' period errors and the
sign-in rate limit."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from volunteers.models import Participation, PeriodTally, Volunteer
from volunteers.services import activity_create, participation_add

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def activity(vcity):
    start = datetime(2026, 3, 10, 9, tzinfo=TZ)
    return activity_create(
        actor=vcity.office,
        theme="路口文明劝导",
        kind="persuasion",
        start_at=start,
        end_at=start + timedelta(hours=2),
        team=vcity.team_red,
        site=vcity.site_a,
    )


def _volunteer_form(volunteer, **changes):
    data = {
        "name": volunteer.name,
        "gender": volunteer.gender,
        "phone": volunteer.phone,
        "id_number": volunteer.id_number,
        "region": volunteer.region_id or "",
        "registered_on": "2026-01-01",
        "teams": [t.pk for t in volunteer.teams.all()],
    }
    if volunteer.is_party_member:
        data["is_party_member"] = "on"
    data.update(changes)
    return data


def test_office_edits_a_volunteer_and_the_change_is_in_its_history(client, vcity, add_volunteer):
    volunteer = add_volunteer("李明", teams=[vcity.team_red])
    client.force_login(vcity.office)
    url = f"/volunteers/people/{volunteer.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200 and volunteer.phone in page.content.decode()
    response = client.post(url, _volunteer_form(volunteer, name="李明明", phone="13912345678", teams=[vcity.team_b.pk]))
    assert response.status_code == 302 and response.url == f"/volunteers/people/{volunteer.pk}/"
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.phone) == ("李明明", "13912345678")
    assert list(volunteer.teams.values_list("name", flat=True)) == ["北关志愿队"]
    latest, created = volunteer.history.order_by("-history_id")[:2]
    assert latest.history_type == "~" and latest.history_user == vcity.office
    assert created.history_type == "+" and created.history_user == vcity.office  # created by the service, no request
    detail = client.get(f"/volunteers/people/{volunteer.pk}/").content.decode()
    assert "李明明" in detail and "/edit/" in detail
    # Saving the same values again records nothing.
    count = volunteer.history.count()
    client.post(url, _volunteer_form(volunteer))
    assert volunteer.history.count() == count


def test_bad_volunteer_edit_changes_nothing_and_others_may_not_edit(client, vcity, add_volunteer):
    volunteer, other = add_volunteer("李明"), add_volunteer("王芳")
    client.force_login(vcity.office)
    url = f"/volunteers/people/{volunteer.pk}/edit/"
    response = client.post(
        url, _volunteer_form(volunteer, phone=other.phone, id_number="123"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already registered" in html or "already" in html
    volunteer.refresh_from_db()
    assert volunteer.phone != other.phone and volunteer.history.count() == 1
    client.force_login(vcity.unit)
    assert client.get(url).status_code == 403
    assert client.post(url, _volunteer_form(volunteer, name="改名")).status_code == 403
    detail = client.get(f"/volunteers/people/{volunteer.pk}/").content.decode()
    assert "/edit/" not in detail and volunteer.phone not in detail  # masked, and no history of numbers
    assert Volunteer.objects.get(pk=volunteer.pk).name == "李明"


def test_volunteer_api_patch_is_office_only(client, vcity, add_volunteer):
    volunteer = add_volunteer("李明")
    client.force_login(vcity.unit)
    assert (
        client.patch(
            f"/api/v1/volunteers/{volunteer.pk}/", {"name": "改名"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(vcity.office)
    response = client.patch(
        f"/api/v1/volunteers/{volunteer.pk}/", {"is_party_member": True}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_party_member"] is True and response.json()["name"] == "李明"
    bad = client.patch(f"/api/v1/volunteers/{volunteer.pk}/", {"phone": "12"}, content_type="application/json")
    assert bad.status_code == 400 and "phone" in bad.json()


def test_activity_edit_page_moves_the_figures(client, vcity, add_volunteer, activity):
    volunteer = add_volunteer("李明")
    participation_add(actor=vcity.office, activity=activity, volunteer=volunteer, hours=2)
    client.force_login(vcity.unit2)  # not the organising unit
    url = f"/volunteers/activities/{activity.pk}/edit/"
    assert client.get(url).status_code == 403
    client.force_login(vcity.unit)
    assert client.get(url).status_code == 200
    form = {
        "theme": "路口文明劝导",
        "kind": "persuasion",
        "team": vcity.team_red.pk,
        "start_at": "2026-04-02T09:00",
        "end_at": "2026-04-02T11:00",
        "site": vcity.site_a.pk,
        "address": "",
        "description": "",
    }
    response = client.post(url, {**form, "end_at": "2026-04-02T08:00"})
    assert response.status_code == 400
    assert Participation.objects.get().day == date(2026, 3, 10)
    response = client.post(url, form)
    assert response.status_code == 302
    assert Participation.objects.get().day == date(2026, 4, 2)
    march = PeriodTally.objects.get(kind="M", period_start=date(2026, 3, 1), dimension="all")
    april = PeriodTally.objects.get(kind="M", period_start=date(2026, 4, 1), dimension="all")
    assert (march.active, march.person_times, april.active, april.person_times) == (0, 0, 1, 1)
    detail = client.get(f"/volunteers/activities/{activity.pk}/").content.decode()
    assert "变更记录" in detail or "Change history" in detail
    assert "2026-03-10 09:00" in detail and "+00:00" not in detail  # the old start, in local time


def test_organiser_removes_a_participant(client, vcity, add_volunteer, activity):
    participation = participation_add(actor=vcity.office, activity=activity, volunteer=add_volunteer())
    client.force_login(vcity.unit2)
    client.post(f"/volunteers/participations/{participation.pk}/remove/")
    assert Participation.objects.filter(pk=participation.pk).exists()
    client.force_login(vcity.unit)
    response = client.post(f"/volunteers/participations/{participation.pk}/remove/")
    assert response.status_code == 302 and not Participation.objects.exists()
    assert PeriodTally.objects.get(kind="Y", period_start=date(2026, 1, 1), dimension="all").person_times == 0


def test_activity_api_patch(client, vcity, activity):
    client.force_login(vcity.office)
    response = client.patch(f"/api/v1/activities/{activity.pk}/", {"theme": "新主题"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["theme"] == "新主题"
    client.force_login(vcity.unit2)
    assert (
        client.patch(f"/api/v1/activities/{activity.pk}/", {"theme": "x"}, content_type="application/json").status_code
        == 403
    )


@pytest.mark.parametrize(
    "query, field",
    [
        ("start=2026-13-01&end=2026-12-31", "start"),
        ("start=yesterday", "start"),
        ("start=2026-05-01&end=2026-04-01", "end"),
        ("start=2020-01-01&end=2026-01-01", "end"),
    ],
)
def test_bad_periods_are_errors_not_silent_defaults(client, vcity, query, field):
    client.force_login(vcity.leader)
    api = client.get(f"/api/v1/volunteer-figures/?{query}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert api.status_code == 400 and field in api.json(), api.content
    page = client.get(f"/volunteers/figures/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and 'class="msg msg-error"' in page.content.decode()


def test_figures_page_offers_calendar_presets(client, vcity):
    client.force_login(vcity.leader)
    html = client.get("/volunteers/figures/").content.decode()
    today = timezone.localdate()
    assert f"?start={today.year}-01-01&amp;end={today.isoformat()}" in html  # this year to date
    assert f"?start={today.year - 1}-01-01&amp;end={today.year - 1}-12-31" in html
    ok = client.get(f"/api/v1/volunteer-figures/?start={today.year}-01-01")
    assert ok.status_code == 200 and ok.json()["end"] == today.isoformat()


@override_settings(SIGN_IN_RATE_PER_PHONE=3, SIGN_IN_RATE_PER_ADDRESS=100)
def test_sign_in_page_limits_attempts_per_phone(client, vcity, add_volunteer):
    volunteer = add_volunteer("李明")
    now = timezone.now()
    live = activity_create(
        actor=vcity.office,
        theme="现在",
        kind="cleanup",
        start_at=now,
        end_at=now + timedelta(hours=2),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    url = f"/volunteers/sign-in/{live.sign_in_token}/"
    for guess in ("张三", "李四", "王五"):
        assert client.post(url, {"name": guess, "phone": volunteer.phone}).status_code == 400
    blocked = client.post(url, {"name": "李明", "phone": volunteer.phone}, HTTP_ACCEPT_LANGUAGE="en")
    assert blocked.status_code == 429 and "Too many sign-in attempts" in blocked.content.decode()
    assert not Participation.objects.exists()
    # Another person on the same phone network is not held up.
    other = add_volunteer("王芳")
    assert client.post(url, {"name": "王芳", "phone": other.phone}).status_code == 200
    assert Participation.objects.filter(volunteer=other).exists()


@override_settings(SIGN_IN_RATE_PER_ADDRESS=2)
def test_sign_in_page_limits_attempts_per_address(client, vcity, add_volunteer):
    now = timezone.now()
    live = activity_create(
        actor=vcity.office,
        theme="现在",
        kind="cleanup",
        start_at=now,
        end_at=now + timedelta(hours=2),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    url = f"/volunteers/sign-in/{live.sign_in_token}/"
    people = [add_volunteer(f"人{i}") for i in range(3)]
    assert [client.post(url, {"name": p.name, "phone": p.phone}).status_code for p in people] == [200, 200, 429]
    assert Participation.objects.count() == 2
    assert (
        client.post(url, {"name": people[2].name, "phone": people[2].phone}, REMOTE_ADDR="10.0.0.9").status_code == 200
    )
