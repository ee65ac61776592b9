"""Writes to the command structure. Services own their transactions; history rows come from simple_history.

Every service takes `actor` (keyword-only): the user who acts, or a Scope standing for one (a district office's
scope in tests). The service itself enforces the office-only rule (NotPermitted, 403: the views' decorators and
the API's permission class only answer earlier), refuses a target row the actor cannot see (NotInScope, 404) and
a referenced region, unit, person, site or body outside the actor's scope (ValidationError on that field, 400),
before anything is written; the history rows name the actor (`_history_user`)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from core import files
from core.exceptions import NotInScope, NotPermitted
from core.registry import REGISTRY, require_visible
from core.scope import Scope, scope_of

from .models import Assignment, Campaign, CommandBody, Membership, Person, Region, Unit

# Responsibility letters (责任书): scanned or typed documents, recognised by content (core.files): PDF, Word
# .docx or a photo of the signed page (re-encoded). Legacy .doc is refused: it cannot be checked safely.
LETTER_KINDS = (files.PDF, files.DOCX, files.IMAGE)
LETTER_MAX_BYTES = int(getattr(settings, "LETTER_MAX_BYTES", 10 * 1024 * 1024))


def _require_office(actor) -> None:
    """Only the campaign office changes the command structure (leaders and wide reads never write)."""
    scope = scope_of(actor)
    if not scope.is_office or scope.read_only:
        raise NotPermitted(_("Only the campaign office may change the command structure."))


def _require_target(actor, obj) -> None:
    """The row being changed must be one the actor sees: 404 otherwise, as for a read."""
    if not REGISTRY.is_visible(type(obj), actor, obj.pk):
        raise NotInScope(REGISTRY.entry(type(obj)).not_found or _("Not found."))


def _require_references(actor, **references) -> None:
    """Each referenced row (None skipped; a list checked row by row) must be in the actor's scope: 400 per field."""
    single = {name: obj for name, obj in references.items() if not isinstance(obj, list | tuple | set)}
    errors = {}
    try:
        require_visible(actor, **single)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name, objs in references.items():
        if name in single:
            continue
        rows = [obj for obj in objs if isinstance(obj, Region)]
        ids = {int(obj) for obj in objs if not isinstance(obj, Region)} | {obj.pk for obj in rows}
        if ids and REGISTRY.visible_to(Region, actor).filter(pk__in=ids).count() != len(ids):
            errors[name] = [_("Choose one within your scope.")]
    if errors:
        raise ValidationError(errors)


def _named(instance, actor):
    """The history row names who acted (a Scope standing for an actor names nobody)."""
    if actor is not None and not isinstance(actor, Scope):
        instance._history_user = actor
    return instance


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
def region_create(
    *, actor, name: str, code: str, level: int, parent: Region | None = None, sort_order: int = 0
) -> Region:
    _require_office(actor)
    _require_references(actor, parent=parent)
    region = _named(Region(name=name, code=code, level=level, parent=parent, sort_order=sort_order), actor)
    _full_clean(region, exclude=["path"])
    _check_unique_code(Region, code=code, message=_("A region with the code %(code)s already exists.") % {"code": code})
    _check_level(level=level, parent=parent)
    region.save()
    region.path = (parent.path if parent else "") + _own_segment(region.pk)
    region.save(update_fields=["path"])
    return region


@transaction.atomic
def region_update(*, actor, region: Region, **fields) -> Region:
    """Change a region; moving it under another parent moves its whole subtree in one UPDATE."""
    _require_office(actor)
    _require_target(actor, region)
    if fields.get("parent") is not None and fields["parent"].pk != region.parent_id:
        _require_references(actor, parent=fields["parent"])  # a move: the new parent must be in scope
    region = _named(Region.objects.select_for_update().get(pk=region.pk), actor)
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
    actor,
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
    _require_office(actor)
    _require_references(actor, region=region)
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
    _named(unit, actor).save()
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    _require_office(actor)
    _require_target(actor, unit)
    _require_references(actor, region=fields.get("region"))
    unit = _named(Unit.objects.select_for_update().get(pk=unit.pk), actor)
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
    actor,
    name: str,
    rank: str = Person.Rank.STAFF,
    title: str = "",
    unit: Unit | None = None,
    phone: str = "",
    user=None,
) -> Person:
    _require_office(actor)
    _require_references(actor, unit=unit)
    person = Person(name=(name or "").strip(), rank=rank, title=title, unit=unit, phone=phone, user=user)
    _check_person(person)
    _named(person, actor).save()
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    _require_office(actor)
    _require_target(actor, person)
    _require_references(actor, unit=fields.get("unit"))
    person = _named(Person.objects.select_for_update().get(pk=person.pk), actor)
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
    actor,
    campaign: Campaign,
    name: str,
    kind: str,
    parent: CommandBody | None = None,
    duty: str = "",
    sort_order: int = 0,
    regions=(),
) -> CommandBody:
    _require_office(actor)
    _require_references(actor, parent=parent, regions=list(regions or ()))
    body = CommandBody(
        campaign=campaign, name=(name or "").strip(), kind=kind, parent=parent, duty=duty, sort_order=sort_order
    )
    _check_body(body)
    _named(body, actor).save()
    if regions:
        body.regions.set(regions)  # simple_history writes a second row carrying the regions (m2m_changed)
    return body


@transaction.atomic
def command_body_update(*, actor, body: CommandBody, regions=None, **fields) -> CommandBody:
    _require_office(actor)
    _require_target(actor, body)
    _require_references(actor, parent=fields.get("parent"), regions=list(regions or ()))
    body = _named(CommandBody.objects.select_for_update().get(pk=body.pk), actor)
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
    *, actor, body: CommandBody, person: Person, role: str = Membership.Role.MEMBER, sort_order: int = 0
) -> Membership:
    _require_office(actor)
    _require_references(actor, body=body, person=person)
    if Membership.objects.filter(body=body, person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s is already a member of %(body)s.") % {"person": person, "body": body}}
        )
    membership = Membership(body=body, person=person, role=role, sort_order=sort_order)
    _full_clean(membership)
    _named(membership, actor).save()
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    _require_office(actor)
    _require_target(actor, membership)
    _named(Membership.objects.select_for_update().get(pk=membership.pk), actor).delete()


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
    actor,
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
    _require_office(actor)
    _require_references(actor, person=person, region=region, site=site)
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
    _named(assignment, actor).save()
    return assignment


@transaction.atomic
def assignment_update(*, actor, assignment: Assignment, responsibility_letter=None, **fields) -> Assignment:
    _require_office(actor)
    _require_target(actor, assignment)
    _require_references(actor, person=fields.get("person"), region=fields.get("region"), site=fields.get("site"))
    assignment = _named(Assignment.objects.select_for_update().get(pk=assignment.pk), actor)
    changed = _apply(assignment, fields, allowed=ASSIGNMENT_FIELDS)
    _check_assignment(assignment)
    if responsibility_letter:
        _store_letter(assignment, validate_letter(responsibility_letter))
        changed.append("responsibility_letter")
    if changed:
        assignment.save(update_fields=changed)
    return assignment
