"""Pages that name people link to a person's page only when the reader may open it (issue 10: every link on a page
is in the reader's scope). A unit liaison reads only the people of their own unit; the names stay (the command
structure is public), the links to other units' people go. The responsibility letter's link follows the registry's
media rule (the office, or the assignment's own person)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign import services
from campaign.models import Person
from core.roles import Role
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"


@pytest.fixture
def pages(structure, units, city, campaign, make_user):
    own = services.person_create(actor=OFFICE, name="城管联络员", unit=units["cgj"])
    services.membership_add(actor=OFFICE, body=structure["group"], person=own)
    assignment = services.assignment_create(
        actor=OFFICE,
        campaign=campaign,
        person=structure["leader"],
        region=city["s1"],
        start_date=date(2026, 3, 2),
        responsibility_letter=SimpleUploadedFile("责任书.pdf", PDF),
    )
    return {
        "own": own,
        "assignment": assignment,
        "unit": make_user("unit", Role.UNIT, unit=units["cgj"]),
        "office": make_user("office", Role.OFFICE),
        "urls": [
            reverse("campaign:org_chart"),
            reverse("campaign:body_detail", args=[structure["group"].pk]),
            reverse("campaign:assignment_detail", args=[assignment.pk]),
        ],
    }


def _person_links(html):
    return {p.pk for p in Person.objects.all() if f'href="{p.get_absolute_url()}"' in html}


def test_a_unit_liaison_is_linked_only_to_people_of_their_unit(client, pages, structure):
    client.force_login(pages["unit"])
    linked = set()
    for url in pages["urls"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        linked |= _person_links(html)
        assert structure["leader"].name in html  # the names stay
    assert linked == {pages["own"].pk}
    for pk in linked:
        assert client.get(reverse("campaign:person_detail", args=[pk])).status_code == 200


def test_the_office_is_linked_to_everyone(client, pages, structure):
    client.force_login(pages["office"])
    html = "".join(client.get(url).content.decode() for url in pages["urls"])
    assert {pages["own"].pk, structure["leader"].pk, structure["supervisor"].pk} <= _person_links(html)


@pytest.mark.parametrize(("who", "linked"), [("office", True), ("leader", True), ("unit", False), ("other", False)])
def test_the_letter_link_follows_the_media_rule(client, pages, structure, make_user, who, linked):
    user = {
        "office": pages["office"],
        "leader": structure["leader"].user,
        "unit": pages["unit"],
        "other": make_user("leader2", Role.LEADER),
    }[who]
    client.force_login(user)
    assignment = pages["assignment"]
    html = client.get(reverse("campaign:assignment_detail", args=[assignment.pk])).content.decode()
    assert (assignment.responsibility_letter.url in html) is linked
    answer = client.get(assignment.responsibility_letter.url)
    assert answer.status_code == (200 if linked else 404)
