import pytest

from campaign import services
from campaign.models import Membership
from campaign.selectors import region_ids_in_scope
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db


def test_me_gives_a_supervisor_the_regions_of_their_groups_and_everything_under_them(client, structure, city):
    client.force_login(structure["supervisor"].user)
    me = client.get("/api/v1/me/").json()
    expected = {city[k].pk for k in ("s1", "c1", "c2", "g1")}
    assert me["role"] == "supervisor"
    assert set(me["regions"]) == expected
    # Joining a second group widens the scope.
    other = services.command_body_create(
        actor=OFFICE,
        campaign=structure["group"].campaign,
        name="负面清单管理指导督导组",
        kind="supervision_group",
        parent=structure["hq"],
        regions=[city["c3"]],
    )
    services.membership_add(actor=OFFICE, body=other, person=structure["supervisor"], role=Membership.Role.MEMBER)
    assert set(client.get("/api/v1/me/").json()["regions"]) == expected | {city["c3"].pk}


def test_office_and_leader_see_everything_a_unit_its_own_region(structure, users, units, city):
    assert region_ids_in_scope(users["office"]) is None
    assert region_ids_in_scope(structure["leader"].user) is None
    assert region_ids_in_scope(users["unit"]) == set(city["district"].subtree().values_list("pk", flat=True))
