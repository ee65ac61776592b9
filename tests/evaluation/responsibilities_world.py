"""A small city for the responsibility list's tests: a project → content → three standards (with their methods),
four units, one user per role, built through the services (the office as actor)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaign.models import Region, Unit
from campaign.services import region_create
from core.roles import Role
from evaluation.models import EvaluationItem, StandardMethod


@pytest.fixture
def city(make_user):
    office = make_user("office", Role.OFFICE)
    region = region_create(actor=office, name="平城区", code="D", level=Region.Level.DISTRICT)
    street = region_create(actor=office, name="南关街道", code="SA", level=Region.Level.STREET, parent=region)
    other = region_create(actor=office, name="云冈区", code="D2", level=Region.Level.DISTRICT)
    units = {
        "a": Unit.objects.create(name="城管局", code="UA", kind=Unit.Kind.DEPARTMENT, region=region),
        "b": Unit.objects.create(name="南关街道办", code="UB", kind=Unit.Kind.STREET_OFFICE, region=street),
        "c": Unit.objects.create(name="市场监管局", code="UC", kind=Unit.Kind.DEPARTMENT, region=region),
        "d": Unit.objects.create(name="云冈交通局", code="UD", kind=Unit.Kind.DEPARTMENT, region=other),
    }
    project = EvaluationItem.objects.create(level="project", code="P01", text="公共秩序")
    content = EvaluationItem.objects.create(level="content", code="P0102", text="市场秩序", parent=project)
    standards = {
        "field": EvaluationItem.objects.create(
            level="standard", code="P010201", text="无占道经营", parent=content, max_score=3, sort_order=1
        ),
        "both": EvaluationItem.objects.create(
            level="standard", code="P010202", text="明码标价", parent=content, max_score=2, sort_order=2
        ),
        "material": EvaluationItem.objects.create(
            level="standard", code="P010203", text="管理制度健全", parent=content, max_score=2, sort_order=3
        ),
    }
    for key, methods in (("field", ["field"]), ("both", ["field", "material"]), ("material", ["material"])):
        for method in methods:
            StandardMethod.objects.create(standard=standards[key], method=method)
    users = {
        "office": office,
        "leader": make_user("leader", Role.LEADER),
        "unit": make_user("unit", Role.UNIT, unit=units["a"]),
        "unit2": make_user("unit2", Role.UNIT, unit=units["b"]),
        "unit3": make_user("unit3", Role.UNIT, unit=units["d"]),
    }
    return {
        "units": units,
        "standards": standards,
        "project": project,
        "content": content,
        "users": users,
        "regions": {"d": region, "sa": street, "d2": other},
    }


def soon(days):
    return timezone.localdate() + timedelta(days=days)
