"""Every campaign service takes `actor` and enforces the rules itself (issue 10), whoever calls it (page, API, shell,
demo data): only the office writes (403 for anybody else), a row being changed must be one the actor sees (404),
and a referenced region, unit, person or body outside the actor's scope is refused with a field message (400).
Refused writes change nothing, and an accepted one is named in the history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from campaign import services
from campaign.models import Assignment, CommandBody, Membership, Person, Region, Unit
from core.exceptions import NotInScope, NotPermitted
from core.roles import Role
from core.scope import DISTRICT, Scope

pytestmark = pytest.mark.django_db


def _writes(city, units, structure, campaign):
    """Each service once, with arguments that an office actor may use (names are new, references in the city)."""
    return {
        "region_create": lambda actor: services.region_create(
            actor=actor, name="新网格", code="G-NEW", level=Region.Level.GRID, parent=city["c2"]
        ),
        "region_update": lambda actor: services.region_update(actor=actor, region=city["c3"], name="改名社区"),
        "unit_create": lambda actor: services.unit_create(
            actor=actor, name="新单位", code="NEW-1", kind=Unit.Kind.SCHOOL, region=city["c2"]
        ),
        "unit_update": lambda actor: services.unit_update(actor=actor, unit=units["wd"], name="改名居委会"),
        "person_create": lambda actor: services.person_create(actor=actor, name="新人", unit=units["ng"]),
        "person_update": lambda actor: services.person_update(
            actor=actor, person=structure["supervisor"], title="组长"
        ),
        "command_body_create": lambda actor: services.command_body_create(
            actor=actor,
            campaign=campaign,
            name="新专班",
            kind=CommandBody.Kind.TASK_FORCE,
            parent=structure["hq"],
            regions=[city["s2"]],
        ),
        "command_body_update": lambda actor: services.command_body_update(
            actor=actor, body=structure["group"], regions=[city["s1"], city["s2"]]
        ),
        "membership_add": lambda actor: services.membership_add(
            actor=actor, body=structure["office"], person=structure["supervisor"]
        ),
        "membership_remove": lambda actor: services.membership_remove(
            actor=actor, membership=Membership.objects.filter(body=structure["group"]).first()
        ),
        "assignment_create": lambda actor: services.assignment_create(
            actor=actor, campaign=campaign, person=structure["leader"], region=city["s2"], start_date=date(2026, 3, 2)
        ),
        "assignment_update": lambda actor: services.assignment_update(
            actor=actor, assignment=Assignment.objects.get(), note="改了"
        ),
    }


SERVICES = [
    "region_create",
    "region_update",
    "unit_create",
    "unit_update",
    "person_create",
    "person_update",
    "command_body_create",
    "command_body_update",
    "membership_add",
    "membership_remove",
    "assignment_create",
    "assignment_update",
]


def _state():
    """Every row of the command structure, with its many-to-many regions and history count: 'nothing changed'."""
    rows = {}
    for model in (Region, Unit, Person, CommandBody, Membership, Assignment):
        for row in model.objects.order_by("pk"):
            data = {k: str(v) for k, v in model_to_dict(row).items()}
            rows[(model.__name__, row.pk)] = data
        rows[(model.__name__, "history")] = model.history.count()
    return rows


@pytest.fixture
def assignment(structure, city, campaign):
    from tests.campaign.actors import OFFICE

    return services.assignment_create(
        actor=OFFICE, campaign=campaign, person=structure["leader"], region=city["s1"], start_date=date(2026, 3, 2)
    )


@pytest.fixture
def actors(make_user, units, structure):
    return {
        "office": make_user("office", Role.OFFICE),
        "supervisor": structure["supervisor"].user,
        "unit": make_user("unit", Role.UNIT, unit=units["cgj"]),
        "leader": structure["leader"].user,
        "norole": make_user("norole", ""),
    }


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ["supervisor", "unit", "leader", "norole"])
def test_only_the_office_writes_and_a_refusal_changes_nothing(
    actors, city, units, structure, campaign, assignment, role, service
):
    write = _writes(city, units, structure, campaign)[service]
    before = _state()
    with pytest.raises(NotPermitted):
        write(actors[role])
    assert _state() == before


@pytest.mark.parametrize("service", SERVICES)
def test_the_office_writes_and_the_history_names_it(actors, city, units, structure, campaign, assignment, service):
    office = actors["office"]
    result = _writes(city, units, structure, campaign)[service](office)
    if service == "membership_remove":
        record = Membership.history.filter(history_type="-").latest("history_date")
    else:
        record = type(result).history.filter(id=result.pk).latest("history_date", "history_id")
    assert record.history_user == office


def _district_office(district):
    """The office of one district (issue 11): writable, its scope that district's subtree."""
    ids = frozenset(Region.objects.filter(path__startswith=district.path).values_list("id", flat=True))
    return Scope(role=Role.OFFICE, is_authenticated=True, user_id=None, region_ids=ids, read_only=False, kind=DISTRICT)


@pytest.fixture
def other_district(city):
    from tests.campaign.actors import OFFICE

    d2 = services.region_create(
        actor=OFFICE, name="云冈区", code="D2", level=Region.Level.DISTRICT, parent=city["city"]
    )
    street = services.region_create(actor=OFFICE, name="口泉街道", code="D2S1", level=Region.Level.STREET, parent=d2)
    unit = services.unit_create(actor=OFFICE, name="云冈区城管局", code="YG-1", kind=Unit.Kind.DEPARTMENT, region=d2)
    return {"district": d2, "street": street, "unit": unit}


@pytest.mark.parametrize(
    ("service", "field"),
    [
        ("region_create", "parent"),
        ("region_update", "parent"),
        ("unit_create", "region"),
        ("unit_update", "region"),
        ("assignment_create", "region"),
        ("command_body_create", "regions"),
    ],
)
def test_references_outside_the_actors_scope_are_field_errors_and_change_nothing(
    city, units, structure, campaign, assignment, other_district, service, field
):
    """A district office refers to a region of the other district: 400 on that field, nothing written."""
    actor = _district_office(city["district"])
    outside = other_district["street"]
    calls = {
        "region_create": lambda: services.region_create(
            actor=actor, name="越界社区", code="X-1", level=Region.Level.COMMUNITY, parent=outside
        ),
        "region_update": lambda: services.region_update(actor=actor, region=city["c3"], parent=outside),
        "unit_create": lambda: services.unit_create(
            actor=actor, name="越界单位", code="X-2", kind=Unit.Kind.SCHOOL, region=outside
        ),
        "unit_update": lambda: services.unit_update(actor=actor, unit=units["wd"], region=outside),
        "assignment_create": lambda: services.assignment_create(
            actor=actor, campaign=campaign, person=structure["leader"], region=outside, start_date=date(2026, 3, 2)
        ),
        "command_body_create": lambda: services.command_body_create(
            actor=actor,
            campaign=campaign,
            name="越界专班",
            kind=CommandBody.Kind.TASK_FORCE,
            parent=None,
            regions=[outside],
        ),
    }
    before = _state()
    with pytest.raises(ValidationError) as refused:
        calls[service]()
    assert field in refused.value.message_dict
    assert _state() == before


def test_a_district_office_writes_inside_its_district(city, units):
    actor = _district_office(city["district"])
    grid = services.region_create(actor=actor, name="新网格", code="G-IN", level=Region.Level.GRID, parent=city["c2"])
    assert grid.path.startswith(city["district"].path)


def test_a_target_outside_the_actors_scope_is_not_found_and_unchanged(city, units, other_district):
    actor = _district_office(city["district"])
    street = other_district["street"]
    before = _state()
    with pytest.raises(NotInScope):
        services.region_update(actor=actor, region=street, name="改名")
    with pytest.raises(NotInScope):
        services.unit_update(actor=actor, unit=other_district["unit"], name="改名")
    assert _state() == before


def test_pages_and_api_refuse_through_the_service_too(client, actors, city, units):
    """The API's permission class (core.api.permissions) and the service agree: a leader is refused with 403."""
    client.force_login(actors["leader"])
    before = _state()
    response = client.post(
        "/api/v1/units/",
        {"name": "新单位", "code": "NEW-9", "kind": "school", "region": city["c2"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert _state() == before
