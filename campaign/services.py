"""Writes to the command structure. Services own their transactions; history rows come from simple_history."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from .models import Region


def _own_segment(region_id: int) -> str:
    return f"{region_id:06d}/"


@transaction.atomic
def region_create(*, name: str, code: str, level: int, parent: Region | None = None, sort_order: int = 0) -> Region:
    region = Region(name=name, code=code, level=level, parent=parent, sort_order=sort_order)
    region.full_clean(exclude=["path"])
    _check_level(level=level, parent=parent)
    region.save()
    region.path = (parent.path if parent else "") + _own_segment(region.pk)
    region.save(update_fields=["path"])
    return region


@transaction.atomic
def region_update(*, region: Region, **fields) -> Region:
    """Change a region; moving it under another parent moves its whole subtree in one UPDATE."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    new_parent = fields.pop("parent", region.parent)
    for name, value in fields.items():
        setattr(region, name, value)
    if new_parent is not None and (new_parent.pk == region.pk or new_parent.path.startswith(region.path)):
        raise ValidationError({"parent": _("A region cannot be placed under itself or one of its own sub-regions.")})
    region.parent = new_parent
    region.full_clean(exclude=["path"])
    _check_level(level=region.level, parent=new_parent)
    old_path = region.path
    new_path = (new_parent.path if new_parent else "") + _own_segment(region.pk)
    region.path = new_path
    region.save()
    if new_path != old_path:
        Region.objects.filter(path__startswith=old_path).exclude(pk=region.pk).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
        )
    return region


def _check_level(*, level: int, parent: Region | None):
    if parent is not None and parent.level >= level:
        raise ValidationError({"level": _("A region must be at a lower level than its parent.")})
