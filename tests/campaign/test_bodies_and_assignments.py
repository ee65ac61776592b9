from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaign import services
from campaign.models import Assignment, CommandBody, Membership
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n"


def test_command_body_rules(structure, campaign):
    with pytest.raises(ValidationError) as exc:
        services.command_body_create(
            actor=OFFICE, campaign=campaign, name="创文办", kind=CommandBody.Kind.OFFICE, parent=structure["hq"]
        )
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.command_body_update(actor=OFFICE, body=structure["hq"], parent=structure["group"])
    assert "parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.command_body_create(actor=OFFICE, campaign=campaign, name="无上级", kind=CommandBody.Kind.TASK_FORCE)
    assert "parent" in exc.value.message_dict
    assert CommandBody.objects.count() == 3


def test_membership_twice_is_refused_and_removal_works(client, structure, users):
    with pytest.raises(ValidationError):
        services.membership_add(actor=OFFICE, body=structure["group"], person=structure["supervisor"])
    client.force_login(users["office"])
    membership = Membership.objects.get(body=structure["group"], person=structure["supervisor"])
    assert client.post(f"/campaign/memberships/{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(
        f"/campaign/bodies/{structure['group'].pk}/members/add/",
        {"person": structure["supervisor"].pk, "role": "member", "sort_order": 3},
    )
    assert response.status_code == 302
    assert structure["group"].memberships.filter(person=structure["supervisor"]).exists()


def test_assignment_needs_a_target_and_sane_dates(structure, campaign, city):
    leader = structure["leader"]
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=OFFICE, campaign=campaign, person=leader, start_date=date(2026, 3, 2))
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            actor=OFFICE,
            campaign=campaign,
            person=leader,
            region=city["s1"],
            start_date=date(2026, 3, 2),
            end_date=date(2026, 3, 1),
        )
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            actor=OFFICE,
            campaign=campaign,
            person=leader,
            region=city["s1"],
            start_date=date(2026, 3, 2),
            required_visits_per_week=0,
        )
    assert "required_visits_per_week" in exc.value.message_dict
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        # Recognised by content, whatever the name says (core.files); legacy .doc cannot be checked safely.
        ("letter.exe", b"MZ...", "“letter.exe”不是 PDF"),
        ("letter.pdf", b"<html>not a pdf</html>", "“letter.pdf”不是 PDF"),
        ("letter.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "“letter.doc”不是 PDF"),
        ("letter.pdf", b"%PDF-1.4\n<script>alert(1)</script>", "或已损坏"),
    ],
)
def test_bad_responsibility_letters_are_refused_on_the_page(client, users, structure, city, name, content, message):
    client.force_login(users["office"])
    response = client.post(
        "/campaign/assignments/new/",
        {
            "person": structure["leader"].pk,
            "region": city["s1"].pk,
            "required_visits_per_week": 1,
            "start_date": "2026-03-02",
            "responsibility_letter": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["responsibility_letter"])
    assert not Assignment.objects.exists()


def test_a_letter_that_is_too_large_is_refused(structure, campaign, city, monkeypatch):
    monkeypatch.setattr(services, "LETTER_MAX_BYTES", 100)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            actor=OFFICE,
            campaign=campaign,
            person=structure["leader"],
            region=city["s1"],
            start_date=date(2026, 3, 2),
            responsibility_letter=SimpleUploadedFile("letter.pdf", PDF + b"0" * 200),
        )
    assert "responsibility_letter" in exc.value.message_dict


def test_office_uploads_a_letter_and_the_list_filters_on_it(client, users, structure, city):
    client.force_login(users["office"])
    response = client.post(
        "/campaign/assignments/new/",
        {
            "person": structure["leader"].pk,
            "region": city["c1"].pk,
            "required_visits_per_week": 2,
            "start_date": "2026-03-02",
            "note": "社区包抓",
            "responsibility_letter": SimpleUploadedFile("责任书.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    with_letter = Assignment.objects.get()
    assert with_letter.responsibility_letter.read() == PDF
    services.assignment_create(
        actor=OFFICE,
        campaign=with_letter.campaign,
        person=structure["leader"],
        region=city["c3"],
        start_date=date(2026, 3, 2),
    )
    api = client.get("/api/v1/assignments/?has_letter=true").json()
    assert [a["id"] for a in api["results"]] == [with_letter.pk]
    assert client.get("/api/v1/assignments/?has_letter=false").json()["count"] == 1
    # region filter: the street covers its communities
    assert client.get(f"/api/v1/assignments/?region={city['s1'].pk}").json()["count"] == 1
    assert client.get("/api/v1/assignments/?rank=district_leader").json()["count"] == 2
    page = client.get("/campaign/assignments/").content.decode()
    assert with_letter.responsibility_letter.url in page and "未上传" in page


def test_letter_upload_through_the_api(client, users, structure, city):
    client.force_login(users["office"])
    response = client.post(
        "/api/v1/assignments/",
        {
            "person": structure["leader"].pk,
            "region": city["s2"].pk,
            "required_visits_per_week": 1,
            "start_date": "2026-03-02",
            "responsibility_letter": SimpleUploadedFile("letter.png", b"GIF89a"),
        },
    )
    assert response.status_code == 400 and "responsibility_letter" in response.json()
    assert not Assignment.objects.exists()


def test_every_page_answers_for_every_role(client, structure, users, city, units, campaign, make_user):
    assignment = services.assignment_create(
        actor=OFFICE, campaign=campaign, person=structure["leader"], region=city["s1"], start_date=date(2026, 3, 2)
    )
    pages = [
        "/campaign/org/",
        "/campaign/regions/",
        city["s1"].get_absolute_url(),
        "/campaign/units/",
        units["wd"].get_absolute_url(),
        "/campaign/people/",
        structure["leader"].get_absolute_url(),
        structure["group"].get_absolute_url(),
        "/campaign/assignments/",
        assignment.get_absolute_url(),
        "/campaign/units/export.xlsx",
        "/campaign/people/export.xlsx",
        "/campaign/assignments/export.xlsx",
    ]
    for user in (users["office"], structure["supervisor"].user, structure["leader"].user):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user.username, url)
    client.force_login(users["office"])
    for url in [
        "/campaign/units/new/",
        "/campaign/regions/new/",
        "/campaign/people/new/",
        "/campaign/bodies/new/",
        "/campaign/assignments/new/",
        f"/campaign/assignments/{assignment.pk}/edit/",
        f"/campaign/bodies/{structure['group'].pk}/edit/",
        f"/campaign/regions/{city['s1'].pk}/edit/",
        f"/campaign/people/{structure['leader'].pk}/edit/",
    ]:
        assert client.get(url).status_code == 200, url
    assert "指导督导组" in client.get("/campaign/org/").content.decode()
    assert "Supervision groups" in client.get("/campaign/org/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_membership_add_refused_twice_shows_the_reason_on_the_body_page(client, structure, users):
    client.force_login(users["office"])
    url = f"/campaign/bodies/{structure['group'].pk}/members/add/"
    before = structure["group"].memberships.count()
    response = client.post(url, {"person": structure["supervisor"].pk, "role": "member", "sort_order": 3})
    assert response.status_code == 302 and response.url == structure["group"].get_absolute_url()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert structure["group"].memberships.count() == before
    response = client.post(url, {"person": "", "role": "member", "sort_order": 3})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error", "error"]  # not yet shown: both
    assert structure["group"].memberships.count() == before
