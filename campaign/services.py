"""Writes to the command structure. Services own their transactions; history rows come from simple_history
(its middleware records who acted in a request; outside a request the history user is empty)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from core import files

from .models import Assignment, Campaign, CommandBody, Membership, Person, Region, Unit

# Responsibility letters (责任书): scanned or typed documents, recognised by content (core.files): PDF, Word
# .docx or a photo of the signed page (re-encoded). Legacy .doc is refused: it cannot be checked safely.
LETTER_KINDS = (files.PDF, files.DOCX, files.IMAGE)
LETTER_MAX_BYTES = int(getattr(settings, "LETTER_MAX_BYTES", 10 * 1024 * 1024))


def _own_segment(region_id: int) -> str:
    return f"{region_id:06d}/"


def _full_clean(instance, *, exclude=None):
    """Model validation without Django's generic uniqueness messages: each service says what is duplicated."""
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _check_unique_code(model, *, code: str, exclude_pk=None, message: str):
    qs = model.objects.filter(code__iexact=(code or "").strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if code and qs.exists():
        raise ValidationError({"code": message})


# --- Regions ----------------------------------------------------------------------------------


@transaction.atomic
def region_create(*, name: str, code: str, level: int, parent: Region | None = None, sort_order: int = 0) -> Region:
    region = Region(name=name, code=code, level=level, parent=parent, sort_order=sort_order)
    _full_clean(region, exclude=["path"])
    _check_unique_code(Region, code=code, message=_("A region with the code %(code)s already exists.") % {"code": code})
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
    _full_clean(region, exclude=["path"])
    _check_unique_code(
        Region,
        code=region.code,
        exclude_pk=region.pk,
        message=_("A region with the code %(code)s already exists.") % {"code": region.code},
    )
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


# --- Units ------------------------------------------------------------------------------------

UNIT_FIELDS = (
    "name",
    "code",
    "kind",
    "region",
    "civilized_level",
    "civilized_year",
    "contact_name",
    "contact_phone",
    "address",
    "is_active",
)


def _check_unit(unit: Unit):
    _full_clean(unit)
    _check_unique_code(
        Unit,
        code=unit.code,
        exclude_pk=unit.pk,
        message=_("A unit with the code %(code)s already exists.") % {"code": unit.code},
    )
    if unit.civilized_level and not unit.civilized_year:
        raise ValidationError({"civilized_year": _("Give the year in which the unit was named a civilized unit.")})
    if unit.civilized_year and not unit.civilized_level:
        raise ValidationError({"civilized_level": _("A year is only given for a civilized unit: choose its level.")})
    if unit.civilized_year and not 1980 <= unit.civilized_year <= date.today().year:
        raise ValidationError(
            {"civilized_year": _("Enter a year between 1980 and %(year)d.") % {"year": date.today().year}}
        )


@transaction.atomic
def unit_create(
    *,
    name: str,
    code: str,
    kind: str,
    region: Region,
    civilized_level: str = "",
    civilized_year: int | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    is_active: bool = True,
) -> Unit:
    unit = Unit(
        name=(name or "").strip(),
        code=(code or "").strip(),
        kind=kind,
        region=region,
        civilized_level=civilized_level or "",
        civilized_year=civilized_year,
        contact_name=contact_name,
        contact_phone=contact_phone,
        address=address,
        is_active=is_active,
    )
    _check_unit(unit)
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, **fields) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    changed = _apply(unit, fields, allowed=UNIT_FIELDS)
    _check_unit(unit)
    if changed:
        unit.save(update_fields=changed)
    return unit


def _apply(instance, fields: dict, *, allowed) -> list[str]:
    """Set the given fields; return the names of those that changed (for save(update_fields=…))."""
    changed = []
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{type(instance).__name__} has no editable field {name!r}")
        if isinstance(value, str):
            value = value.strip()
        if name in ("civilized_level",) and value is None:
            value = ""
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# --- People -----------------------------------------------------------------------------------

PERSON_FIELDS = ("name", "rank", "title", "unit", "phone", "user")


def _check_person(person: Person):
    _full_clean(person)
    if person.user_id and Person.objects.filter(user_id=person.user_id).exclude(pk=person.pk).exists():
        raise ValidationError({"user": _("This login already belongs to another person.")})


@transaction.atomic
def person_create(
    *,
    name: str,
    rank: str = Person.Rank.STAFF,
    title: str = "",
    unit: Unit | None = None,
    phone: str = "",
    user=None,
) -> Person:
    person = Person(name=(name or "").strip(), rank=rank, title=title, unit=unit, phone=phone, user=user)
    _check_person(person)
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = _apply(person, fields, allowed=PERSON_FIELDS)
    _check_person(person)
    if changed:
        person.save(update_fields=changed)
    return person


# --- Command bodies and their members -----------------------------------------------------------

BODY_FIELDS = ("name", "kind", "parent", "duty", "sort_order")


def _check_body(body: CommandBody):
    _full_clean(body)
    duplicate = CommandBody.objects.filter(campaign_id=body.campaign_id, name=body.name).exclude(pk=body.pk)
    if duplicate.exists():
        raise ValidationError(
            {"name": _("This campaign already has a command body named %(name)s.") % {"name": body.name}}
        )
    parent = body.parent
    if parent is not None:
        if parent.campaign_id != body.campaign_id:
            raise ValidationError({"parent": _("The parent body belongs to another campaign.")})
        # Walk up from the new parent: meeting this body means the change would close a loop.
        seen = set()
        while parent is not None and parent.pk not in seen:
            if body.pk is not None and parent.pk == body.pk:
                raise ValidationError(
                    {"parent": _("A command body cannot be placed under itself or one of its own sub-bodies.")}
                )
            seen.add(parent.pk)
            parent = parent.parent
    if body.kind == CommandBody.Kind.HEADQUARTERS and body.parent_id:
        raise ValidationError({"parent": _("A headquarters is the top of the structure and has no parent body.")})
    if body.kind != CommandBody.Kind.HEADQUARTERS and not body.parent_id:
        raise ValidationError({"parent": _("Choose the body this one reports to.")})


@transaction.atomic
def command_body_create(
    *,
    campaign: Campaign,
    name: str,
    kind: str,
    parent: CommandBody | None = None,
    duty: str = "",
    sort_order: int = 0,
    regions=(),
) -> CommandBody:
    body = CommandBody(
        campaign=campaign, name=(name or "").strip(), kind=kind, parent=parent, duty=duty, sort_order=sort_order
    )
    _check_body(body)
    body.save()
    if regions:
        body.regions.set(regions)  # simple_history writes a second row carrying the regions (m2m_changed)
    return body


@transaction.atomic
def command_body_update(*, body: CommandBody, regions=None, **fields) -> CommandBody:
    body = CommandBody.objects.select_for_update().get(pk=body.pk)
    changed = _apply(body, fields, allowed=BODY_FIELDS)
    _check_body(body)
    new_ids = None if regions is None else {r.pk if isinstance(r, Region) else int(r) for r in regions}
    if new_ids is not None and new_ids != set(body.regions.values_list("pk", flat=True)):
        # simple_history writes one row on m2m_changed, from the instance as it is in memory (with the field
        # changes above): the save below must not write a second, identical row.
        body.regions.set(new_ids)
        body.skip_history_when_saving = True
    if changed:
        body.save(update_fields=changed)
    body.__dict__.pop("skip_history_when_saving", None)
    return body


@transaction.atomic
def membership_add(
    *, body: CommandBody, person: Person, role: str = Membership.Role.MEMBER, sort_order: int = 0
) -> Membership:
    if Membership.objects.filter(body=body, person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s is already a member of %(body)s.") % {"person": person, "body": body}}
        )
    membership = Membership(body=body, person=person, role=role, sort_order=sort_order)
    _full_clean(membership)
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    Membership.objects.select_for_update().get(pk=membership.pk).delete()


# --- Assignments (包抓) ---------------------------------------------------------------------------

ASSIGNMENT_FIELDS = ("person", "region", "site", "required_visits_per_week", "start_date", "end_date", "note")


def validate_letter(upload) -> files.CheckedDocument:
    """A responsibility letter: PDF, Word (.docx) or a photo of the signed page, within the size limit; checked
    by content, whatever its name says. Returns the checked document (nothing is stored yet)."""
    return files.check_document(upload, field="responsibility_letter", kinds=LETTER_KINDS, max_bytes=LETTER_MAX_BYTES)


def _store_letter(assignment: Assignment, letter: files.CheckedDocument) -> None:
    """Only the checked bytes, under a random name with the detected extension."""
    assignment.responsibility_letter.save(files.random_name(letter.extension), letter.content_file(), save=False)


def _check_assignment(assignment: Assignment):
    if not assignment.region_id and not assignment.site_id:
        raise ValidationError({"region": _("Choose the region or the site the leader is responsible for.")})
    _full_clean(assignment, exclude=["responsibility_letter"])
    if assignment.required_visits_per_week is not None and not 1 <= assignment.required_visits_per_week <= 14:
        raise ValidationError({"required_visits_per_week": _("Required visits per week must be between 1 and 14.")})
    if assignment.end_date and assignment.start_date and assignment.end_date < assignment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


@transaction.atomic
def assignment_create(
    *,
    campaign: Campaign,
    person: Person,
    region: Region | None = None,
    site=None,
    required_visits_per_week: int = 1,
    start_date: date,
    end_date: date | None = None,
    note: str = "",
    responsibility_letter=None,
) -> Assignment:
    assignment = Assignment(
        campaign=campaign,
        person=person,
        region=region,
        site=site,
        required_visits_per_week=required_visits_per_week,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    _check_assignment(assignment)
    if responsibility_letter:
        _store_letter(assignment, validate_letter(responsibility_letter))
    assignment.save()
    return assignment


@transaction.atomic
def assignment_update(*, assignment: Assignment, responsibility_letter=None, **fields) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    changed = _apply(assignment, fields, allowed=ASSIGNMENT_FIELDS)
    _check_assignment(assignment)
    if responsibility_letter:
        _store_letter(assignment, validate_letter(responsibility_letter))
        changed.append("responsibility_letter")
    if changed:
        assignment.save(update_fields=changed)
    return assignment
