"""Reads of the command structure, and the one place that says which regions a user's scope covers."""
from django.db.models import Q

from core.roles import Role

from .models import Region


def region_ids_in_scope(user) -> set[int] | None:
    """None means "everything" (office, leader). A supervisor covers the regions of their command
    bodies and everything under them; a unit liaison the region of their unit and under it."""
    if user.is_superuser or user.role in (Role.OFFICE, Role.LEADER):
        return None
    if user.role == Role.SUPERVISOR:
        roots = Region.objects.filter(command_bodies__memberships__person__user=user).values_list("path", flat=True)
    elif user.role == Role.UNIT and user.unit_id:
        roots = Region.objects.filter(units__id=user.unit_id).values_list("path", flat=True)
    else:
        return set()
    paths = set(roots)
    if not paths:
        return set()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return set(Region.objects.filter(condition).values_list("id", flat=True))


def region_subtree_q(region: Region, field: str = "region") -> Q:
    """A filter for objects whose `field` is this region or under it: one indexed prefix match."""
    return Q(**{f"{field}__path__startswith": region.path})
