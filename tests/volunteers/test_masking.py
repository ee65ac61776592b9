from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.masking import mask_personal

pytestmark = pytest.mark.django_db

PHONE = "13800000001"


def test_mask_function(vcity):
    assert mask_personal("13812341234", user=vcity.unit) == "138****1234"
    assert mask_personal("140202199001011234", user=vcity.leader) == "1402**********1234"
    assert mask_personal("13812341234", user=None) == "138****1234"
    assert mask_personal("13812341234", user=vcity.office) == "13812341234"
    assert mask_personal("", user=vcity.unit) == ""


@pytest.mark.parametrize(
    "username, masked", [("office", False), ("unit", True), ("leader", True), ("supervisor", True)]
)
def test_list_page_masks_for_everyone_but_the_office(client, vcity, add_volunteer, username, masked):
    volunteer = add_volunteer("王芳")
    client.force_login(getattr(vcity, username))
    html = client.get("/volunteers/people/").content.decode()
    assert "王芳" in html
    assert (volunteer.phone in html) is not masked
    assert (volunteer.id_number in html) is not masked
    if masked:
        assert mask_personal(volunteer.phone, user=None) in html
        assert mask_personal(volunteer.id_number, user=None) in html
    detail = client.get(f"/volunteers/people/{volunteer.pk}/").content.decode()
    assert (volunteer.id_number in detail) is not masked


@pytest.mark.parametrize("username, masked", [("office", False), ("unit", True)])
def test_export_masks_for_everyone_but_the_office(client, vcity, add_volunteer, username, masked):
    volunteer = add_volunteer("王芳", teams=[vcity.team_red])
    client.force_login(getattr(vcity, username))
    response = client.get("/volunteers/people/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "性别", "手机号", "身份证号")
    assert rows[1][0] == "王芳" and rows[1][7] == "红小帽"
    expected_phone = mask_personal(volunteer.phone, user=None) if masked else volunteer.phone
    expected_id = mask_personal(volunteer.id_number, user=None) if masked else volunteer.id_number
    assert rows[1][2:4] == (expected_phone, expected_id)


@pytest.mark.parametrize("username, masked", [("office", False), ("unit", True), ("leader", True)])
def test_api_masks_for_everyone_but_the_office(client, vcity, add_volunteer, username, masked):
    volunteer = add_volunteer("王芳")
    client.force_login(getattr(vcity, username))
    row = client.get("/api/v1/volunteers/").json()["results"][0]
    assert row["phone"] == (mask_personal(volunteer.phone, user=None) if masked else volunteer.phone)
    assert row["id_number"] == (mask_personal(volunteer.id_number, user=None) if masked else volunteer.id_number)
    detail = client.get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert detail["phone"] == row["phone"]


def test_participants_in_activity_api_are_masked(client, vcity, add_volunteer):
    from datetime import timedelta

    from django.utils import timezone

    from volunteers.services import activity_create, participation_add

    volunteer = add_volunteer("李明")
    now = timezone.now()
    activity = activity_create(
        actor=vcity.office,
        theme="文明劝导",
        kind="persuasion",
        start_at=now,
        end_at=now + timedelta(hours=2),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    participation_add(actor=vcity.office, activity=activity, volunteer=volunteer)
    client.force_login(vcity.unit2)
    participant = client.get("/api/v1/activities/").json()["results"][0]["participants"][0]
    assert participant["phone"] == mask_personal(volunteer.phone, user=None)
    assert participant["hours"] == "2.0"


@pytest.mark.parametrize("username, masked", [("office", False), ("unit", True), ("leader", True)])
def test_team_contact_phone_is_masked_like_the_volunteers(client, vcity, username, masked):
    from volunteers.services import team_create

    team = team_create(
        actor=vcity.office,
        name="文明劝导队",
        unit=vcity.unit_a,
        region=vcity.street_a,
        leader_name="赵队长",
        contact_phone="13698765432",
    )
    client.force_login(getattr(vcity, username))
    shown = "136****5432" if masked else "13698765432"
    assert client.get(f"/api/v1/volunteer-teams/{team.pk}/").json()["contact_phone"] == shown
    html = client.get(f"/volunteers/teams/{team.pk}/").content.decode()
    assert shown in html and (("13698765432" in html) is not masked)
