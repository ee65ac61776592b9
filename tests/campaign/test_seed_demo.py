import io

import pytest
from django.apps import apps
from django.core.management import call_command

from campaign.models import Assignment, CommandBody, Person, Region, Unit
from core.roles import Role

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "admin."))
    }


def test_seed_demo_builds_the_district_once_and_the_demo_accounts_sign_in(client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert _counts() == first

    assert Region.objects.filter(level=Region.Level.STREET).count() == 10
    assert Region.objects.filter(level=Region.Level.COMMUNITY).count() == 60
    assert Unit.objects.count() >= 150
    assert CommandBody.objects.filter(kind="supervision_group").count() == 11
    assert CommandBody.objects.filter(kind="task_force").count() == 7
    assert Person.objects.exclude(rank=Person.Rank.STAFF).count() >= 40
    # Streets and communities (the campaign part): district leaders at least once a week, division-level twice.
    regional = Assignment.objects.filter(site__isnull=True)
    assert regional.filter(region__level=Region.Level.STREET).count() >= 10
    assert not regional.filter(person__rank="division", required_visits_per_week__lt=2).exists()
    assert not regional.filter(
        person__rank__in=["district_leader", "standing_committee"], required_visits_per_week__lt=1
    ).exists()
    assert "demo-pass-2024" in out.getvalue() and "supervisor" in out.getvalue()

    roles = {
        "office": Role.OFFICE,
        "supervisor": Role.SUPERVISOR,
        "unit": Role.UNIT,
        "unit2": Role.UNIT,
        "leader": Role.LEADER,
    }
    for username, role in roles.items():
        client.logout()
        response = client.post("/accounts/login/", {"username": username, "password": "demo-pass-2024"})
        assert response.status_code == 302, username
        me = client.get("/api/v1/me/").json()
        assert me["role"] == role
    client.force_login(Person.objects.get(user__username="supervisor").user)
    scope = client.get("/api/v1/me/").json()["regions"]
    streets = Region.objects.filter(pk__in=scope, level=Region.Level.STREET)
    assert 2 <= streets.count() <= 3
    assert len(scope) == Region.objects.filter(path__regex="^(" + "|".join(s.path for s in streets) + ")").count()
    unit_user = Person.objects.get(user__username="unit").user
    unit2_user = Person.objects.get(user__username="unit2").user
    assert unit_user.unit and unit2_user.unit and unit_user.unit != unit2_user.unit
    leader = Person.objects.get(user__username="leader")
    assert leader.rank == Person.Rank.DISTRICT_LEADER and leader.assignments.count() >= 2
