"""Every change of material review: requirements (the office) and submissions (units submit, reviewers decide).

Each submission service takes keyword-only `actor`, checks scope (NotInScope 404), role (NotPermitted 403) and
state (InvalidTransition 409) through `selectors.submission_action_refusal` on the row it locked
(select_for_update), saves with update_fields, writes a MaterialEvent in the same transaction, and sends
notifications after commit (core.services.notification_send).

Versions: a returned version stays as it was; `submission_resubmit` starts the next version (a new row, is_current
moves to it); files are not copied, the unit adds them again if it wants them.

Files: PDF, Word (.docx), Excel (.xlsx), JPEG/PNG/WebP images (re-encoded as JPEG), recognised by content
(core.files.check_document), within settings.UPLOAD_MAX_DOCUMENT_BYTES; a name that says another kind than the
content is refused. Every file of a request is checked before the first one is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import files as core_files
from core.exceptions import InvalidTransition, NotInScope, NotPermitted
from core.registry import REGISTRY, get_visible, visible_to
from core.roles import Role
from core.scope import scope_of
from core.services import notification_send
from evaluation.models import (
    EvaluationItem,
    MaterialEvent,
    MaterialFile,
    MaterialRequirement,
    MaterialReviewBody,
    MaterialSubmission,
    Method,
)
from inspections.tickets.working_days import add_working_days, working_days_between

from . import selectors

S = MaterialSubmission.Status
V = MaterialEvent.Verb

MATERIAL_KINDS = (core_files.PDF, core_files.DOCX, core_files.XLSX, core_files.IMAGE)
# What a file's name says it is → the kind its content must be.
NAME_KINDS = {
    "pdf": core_files.PDF,
    "docx": core_files.DOCX,
    "xlsx": core_files.XLSX,
    "jpg": core_files.IMAGE,
    "jpeg": core_files.IMAGE,
    "png": core_files.IMAGE,
    "webp": core_files.IMAGE,
}
MAX_FILES_PER_REQUEST = 20
MAX_FILES_PER_SUBMISSION = 40
MAX_DUE_WORKING_DAYS = 250

# Reminders and escalation (working days on the Chinese calendar).
REMINDER_WORKING_DAYS_BEFORE = 3
ESCALATION_LEVELS = {1: 1, 2: 3, 3: 7}  # level → working days overdue: 1 the unit, 2 the office, 3 the leaders


# --- helpers ------------------------------------------------------------------------------------------------


def submission_url(submission) -> str:
    try:
        return reverse("evaluation:material_submission_detail", args=[submission.pk])
    except NoReverseMatch:
        return ""


def _users(**filters):
    from core.models import User

    return list(User.objects.filter(is_active=True, **filters))


def _unit_users(unit_id):
    return _users(unit_id=unit_id, role=Role.UNIT)


def _reviewers(standard) -> list:
    """The office and the members (with an account) of the material review bodies covering the standard."""
    project_id = (
        EvaluationItem.objects.filter(pk=standard.parent_id).values_list("parent_id", flat=True).first()
        if standard.parent_id
        else None
    )
    bodies = MaterialReviewBody.objects.filter(projects__isnull=True)
    if project_id:
        bodies = bodies | MaterialReviewBody.objects.filter(projects=project_id)
    members = _users(person__memberships__body__material_review__in=bodies.values("pk"))
    office = _users(role=Role.OFFICE)
    seen, result = set(), []
    for user in office + members:
        if user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def _notify_later(*, recipients, verb: str, title, body, submission) -> None:
    """Notifications in the campaign's language, created after commit (`recipients` a function, called then)."""
    with translation.override(settings.LANGUAGE_CODE):
        title = str(title() if callable(title) else title)
        body = str(body() if callable(body) else body)
    url = submission_url(submission)
    transaction.on_commit(
        lambda: notification_send(recipients=recipients(), verb=verb, title=title, body=body, url=url)
    )


def _event(*, submission, verb, actor=None, note="") -> MaterialEvent:
    return MaterialEvent.objects.create(submission=submission, verb=verb, actor=actor, note=note or "")


def _lock(*, actor, submission, action) -> MaterialSubmission:
    """Lock the submission row, then check on its current state (another request may have changed it)."""
    locked = (
        MaterialSubmission.objects.select_for_update(of=("self",))
        .select_related("requirement", "requirement__standard", "unit")
        .get(pk=submission.pk)
    )
    refusal = selectors.submission_action_refusal(user=actor, submission=locked, action=action)
    if refusal:
        error, message = refusal
        raise error(message)
    return locked


def _values(submission) -> dict:
    return {
        "title": submission.requirement.title,
        "code": submission.requirement.standard.code,
        "unit": submission.unit.name,
        "version": submission.version,
        "due": submission.requirement.due_date.isoformat(),
    }


# --- files --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedMaterial:
    """A file checked by content, ready to store: the bytes to keep, the kind, the name a download gets."""

    document: core_files.CheckedDocument
    name: str
    kind: str


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def _safe_name(name: str, extension: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._") or _("file")
    return f"{stem[:150]}.{extension}"


def prepare_material_file(upload) -> PreparedMaterial:
    """One upload checked: the name must say an accepted kind, the content must be that kind (ValidationError on
    `files` otherwise); nothing is stored."""
    name = core_files.display_name(upload)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = NAME_KINDS.get(extension)
    if expected is None:
        raise ValidationError(
            {
                "files": _(
                    "“%(name)s”: only PDF, Word (.docx), Excel (.xlsx) and JPEG, PNG or WebP images may be submitted."
                )
                % {"name": name}
            }
        )
    document = core_files.check_document(upload, field="files", kinds=MATERIAL_KINDS)
    detected = core_files.IMAGE if document.content_type.startswith("image/") else document.extension
    if detected != expected:
        raise ValidationError(
            {
                "files": _("“%(name)s” is not what its name says: its content is a %(kind)s file.")
                % {"name": name, "kind": document.extension.upper()}
            }
        )
    return PreparedMaterial(document=document, name=_safe_name(name, document.extension), kind=document.extension)


def prepare_material_files(uploads, *, required: bool = False) -> list[PreparedMaterial]:
    """Every file of a request checked before any is stored (one bad file refuses the request)."""
    uploads = [f for f in (uploads or ()) if f]
    if required and not uploads:
        raise ValidationError({"files": _("Add at least one file.")})
    if len(uploads) > MAX_FILES_PER_REQUEST:
        raise ValidationError({"files": _("At most %(count)d files at a time.") % {"count": MAX_FILES_PER_REQUEST}})
    return [f if isinstance(f, PreparedMaterial) else prepare_material_file(f) for f in uploads]


def store_material_files(*, submission, prepared: list[PreparedMaterial], actor) -> list[MaterialFile]:
    existing = submission.files.count()
    if existing + len(prepared) > MAX_FILES_PER_SUBMISSION:
        raise ValidationError(
            {"files": _("A version may hold at most %(count)d files.") % {"count": MAX_FILES_PER_SUBMISSION}}
        )
    stored = []
    for item in prepared:
        row = MaterialFile(
            submission=submission,
            name=item.name,
            kind=item.kind,
            size=len(item.document.content),
            uploaded_by=actor,
        )
        row.file.save(core_files.random_name(item.kind), item.document.content_file(), save=False)
        row.save()
        _event(submission=submission, verb=V.FILE_ADDED, actor=actor, note=item.name)
        stored.append(row)
    return stored


# --- requirements (the office) ------------------------------------------------------------------------------


def default_window(today: date | None = None) -> tuple[date, date]:
    """The evidence window by default: the year up to the end of last month."""
    today = today or selectors.local_today()
    first_of_month = today.replace(day=1)
    return first_of_month.replace(year=first_of_month.year - 1), first_of_month - timedelta(days=1)


def _require_office(actor):
    REGISTRY.require_writable(actor)
    if not scope_of(actor).is_office:
        raise NotPermitted(_("Only the campaign office may set material requirements."))


def _check_requirement(*, standard, kind, title, window_start, window_end, due_date, units, today) -> dict:
    errors = {}
    if not isinstance(standard, EvaluationItem) or standard.level != EvaluationItem.Level.STANDARD:
        errors["standard"] = _("Choose an evaluation standard.")
    elif not standard.methods.filter(method=Method.MATERIAL).exists():
        errors["standard"] = _("This standard is not checked by material review.")
    if kind not in MaterialRequirement.Kind.values:
        errors["kind"] = _("Choose what must be submitted.")
    if not (title or "").strip():
        errors["title"] = _("Give the requirement a title.")
    if window_start and window_end and window_start > window_end:
        errors["window_end"] = _("The evidence window ends before it starts.")
    if due_date is None:
        errors["due_date"] = _("Give a due date or a number of working days.")
    units = list(units or [])
    if not units:
        errors["units"] = _("Choose at least one unit that submits.")
    elif any(not getattr(u, "is_active", False) for u in units):
        errors["units"] = _("Choose active units.")
    if errors:
        raise ValidationError(errors)
    return {"units": units}


def _due(due_date, due_in_working_days, today, *, required=True):
    if due_in_working_days is not None:
        if not 1 <= int(due_in_working_days) <= MAX_DUE_WORKING_DAYS:
            raise ValidationError(
                {"due_in_working_days": _("Give between 1 and %(max)d working days.") % {"max": MAX_DUE_WORKING_DAYS}}
            )
        return add_working_days(today, int(due_in_working_days))
    return due_date


@transaction.atomic
def requirement_create(
    *,
    actor,
    standard,
    kind: str,
    title: str,
    description: str = "",
    window_start: date | None = None,
    window_end: date | None = None,
    due_date: date | None = None,
    due_in_working_days: int | None = None,
    units=None,
    sort_order: int = 0,
) -> MaterialRequirement:
    """What must be submitted for a standard checked by material. Defaults: the evidence window is the year up to
    the end of last month; the units are the standard's responsible units on the responsibility list. The due date
    is a date or `due_in_working_days` working days from today (Chinese calendar)."""
    _require_office(actor)
    today = selectors.local_today()
    due_date = _due(due_date, due_in_working_days, today)
    if due_date is not None and due_date < today:
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    default_start, default_end = default_window(today)
    window_start = window_start or default_start
    window_end = window_end or default_end
    if units is None and isinstance(standard, EvaluationItem):
        units = selectors.default_units(standard)
    checked = _check_requirement(
        standard=standard,
        kind=kind,
        title=title,
        window_start=window_start,
        window_end=window_end,
        due_date=due_date,
        units=units,
        today=today,
    )
    requirement = MaterialRequirement(
        standard=standard,
        kind=kind,
        title=title.strip(),
        description=(description or "").strip(),
        window_start=window_start,
        window_end=window_end,
        due_date=due_date,
        sort_order=sort_order or 0,
    )
    requirement._history_user = actor
    requirement.save()
    requirement.units.set(checked["units"])
    return requirement


REQUIREMENT_FIELDS = (
    "standard",
    "kind",
    "title",
    "description",
    "window_start",
    "window_end",
    "due_date",
    "sort_order",
)


@transaction.atomic
def requirement_update(
    *, actor, requirement: MaterialRequirement, due_in_working_days: int | None = None, units=None, **fields
) -> MaterialRequirement:
    """Change a requirement. A unit that already sent material cannot be taken off it; the standard cannot change
    once material was sent."""
    _require_office(actor)
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    requirement = get_visible(
        MaterialRequirement, actor, pk=requirement.pk, queryset=MaterialRequirement.objects.select_for_update()
    )
    today = selectors.local_today()
    if due_in_working_days is not None:
        fields["due_date"] = _due(None, due_in_working_days, today)
    values = {name: fields.get(name, getattr(requirement, name)) for name in REQUIREMENT_FIELDS}
    units = list(requirement.units.all()) if units is None else list(units)
    checked = _check_requirement(
        standard=values["standard"],
        kind=values["kind"],
        title=values["title"],
        window_start=values["window_start"],
        window_end=values["window_end"],
        due_date=values["due_date"],
        units=units,
        today=today,
    )
    submitted = MaterialSubmission.objects.filter(requirement=requirement).exclude(status=S.DRAFT, files__isnull=True)
    if values["standard"].pk != requirement.standard_id and submitted.exists():
        raise ValidationError({"standard": _("Material was already submitted for this requirement.")})
    kept = {u.pk for u in checked["units"]}
    dropped = submitted.exclude(unit_id__in=kept).select_related("unit").first()
    if dropped is not None:
        raise ValidationError(
            {"units": _("%(unit)s already submitted material; it cannot be taken off.") % {"unit": dropped.unit.name}}
        )
    changed = [name for name in REQUIREMENT_FIELDS if values[name] != getattr(requirement, name)]
    for name in changed:
        setattr(requirement, name, values[name].strip() if name in ("title", "description") else values[name])
    units_changed = kept != set(requirement.units.values_list("pk", flat=True))
    if changed or units_changed:
        requirement._history_user = actor
        requirement.save(update_fields=changed or None)
    if units_changed:
        requirement.units.set(checked["units"])
    return requirement


# --- submissions (the units) --------------------------------------------------------------------------------


def _require_submitting_unit(actor, requirement) -> MaterialRequirement:
    REGISTRY.require_writable(actor)
    scope = scope_of(actor)
    if not scope.is_unit or not scope.unit_id:
        raise NotPermitted(_("Only the liaison of a submitting unit may submit material."))
    requirement = get_visible(MaterialRequirement, actor, pk=getattr(requirement, "pk", requirement))
    if not requirement.units.filter(pk=scope.unit_id).exists():
        # A lead unit sees the requirement but does not submit it: as if it did not exist for its own material.
        raise NotInScope(_("This material is not your unit's to submit."))
    return requirement


def requirement_for_unit(*, actor, standard_id: int, requirement_id: int | None = None) -> MaterialRequirement:
    """The actor's unit's requirement for a standard (the API names the standard). Several for the unit: the
    `requirement` must be named (400). None for the unit (or not visible): 404."""
    REGISTRY.require_writable(actor)
    scope = scope_of(actor)
    if not scope.is_unit or not scope.unit_id:
        raise NotPermitted(_("Only the liaison of a submitting unit may submit material."))
    rows = visible_to(MaterialRequirement, actor).filter(standard_id=standard_id, units=scope.unit_id)
    if requirement_id is not None:
        rows = rows.filter(pk=requirement_id)
    found = list(rows.order_by("due_date", "id")[:2])
    if not found:
        raise NotInScope(_("This material is not your unit's to submit."))
    if len(found) > 1:
        raise ValidationError(
            {"requirement": _("This standard has several requirements for your unit: name the requirement.")}
        )
    return found[0]


@transaction.atomic
def submission_create(*, actor, requirement, note: str = "", files=()) -> MaterialSubmission:
    """The unit's evidence for a requirement, as a draft: the unit's first version; while its current version is a
    draft the files and note go to that draft; after a return, the next version (as `submission_resubmit`).
    Submitted or accepted material: 409."""
    requirement = _require_submitting_unit(actor, requirement)
    prepared = prepare_material_files(files)
    # The requirement's row lock serialises two first versions of the same unit (and the reminder job).
    MaterialRequirement.objects.select_for_update().filter(pk=requirement.pk).first()
    unit_id = scope_of(actor).unit_id
    current = (
        MaterialSubmission.objects.select_for_update()
        .filter(requirement=requirement, unit_id=unit_id, is_current=True)
        .first()
    )
    if current is not None and current.status == S.RETURNED:
        return submission_resubmit(actor=actor, submission=current, note=note, files=prepared)
    if current is not None and current.status != S.DRAFT:
        raise InvalidTransition(
            _("Your unit's material for this requirement is already %(status)s.")
            % {"status": current.get_status_display()}
        )
    if current is None:
        current = MaterialSubmission.objects.create(
            requirement=requirement, unit_id=unit_id, version=1, note=(note or "").strip(), created_by=actor
        )
        _event(submission=current, verb=V.CREATED, actor=actor, note=current.note)
    else:
        current = _lock(actor=actor, submission=current, action="edit")
        fields = []
        if current.created_by_id is None:
            current.created_by = actor
            fields.append("created_by")
        if (note or "").strip() and note.strip() != current.note:
            current.note = note.strip()
            fields.append("note")
            _event(submission=current, verb=V.EDITED, actor=actor, note=current.note)
        if fields:
            current.save(update_fields=fields)
    store_material_files(submission=current, prepared=prepared, actor=actor)
    return current


@transaction.atomic
def submission_update(*, actor, submission, note: str) -> MaterialSubmission:
    """The draft's note."""
    submission = _lock(actor=actor, submission=submission, action="edit")
    note = (note or "").strip()
    if note != submission.note:
        submission.note = note
        submission.save(update_fields=["note"])
        _event(submission=submission, verb=V.EDITED, actor=actor, note=note)
    return submission


@transaction.atomic
def submission_add_files(*, actor, submission, files) -> list[MaterialFile]:
    """More files on a draft (all checked before any is stored)."""
    submission = _lock(actor=actor, submission=submission, action="edit")
    prepared = prepare_material_files(files, required=True)
    return store_material_files(submission=submission, prepared=prepared, actor=actor)


@transaction.atomic
def submission_remove_file(*, actor, file: MaterialFile) -> MaterialSubmission:
    """Take a file off a draft (the stored bytes are deleted after commit)."""
    submission = _lock(actor=actor, submission=file.submission, action="edit")
    row = MaterialFile.objects.select_for_update().filter(pk=file.pk, submission=submission).first()
    if row is None:
        raise NotInScope(_("File not found."))
    name, stored = row.name, row.file.name
    row.delete()
    _event(submission=submission, verb=V.FILE_REMOVED, actor=actor, note=name)
    storage = MaterialFile._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)
    return submission


@transaction.atomic
def submission_submit(*, actor, submission, note: str = "") -> MaterialSubmission:
    """Draft → submitted for review; at least one file. After the due date it is accepted for review but marked
    late (`is_late`)."""
    submission = _lock(actor=actor, submission=submission, action="submit")
    if not submission.files.exists():
        raise ValidationError({"files": _("Add at least one file before submitting.")})
    now = timezone.now()
    today = timezone.localdate(now)
    submission.status = S.SUBMITTED
    submission.submitted_at = now
    submission.is_late = today > submission.requirement.due_date
    fields = ["status", "submitted_at", "is_late"]
    note = (note or "").strip()
    if note and note != submission.note:
        submission.note = note
        fields.append("note")
    submission.save(update_fields=fields)
    values = _values(submission)
    event_note = note
    if submission.is_late:
        late = _("Submitted after the due date (%(due)s): marked late.") % values
        event_note = f"{late} {note}".strip()
    _event(submission=submission, verb=V.SUBMITTED, actor=actor, note=event_note)
    standard = submission.requirement.standard
    _notify_later(
        recipients=lambda: _reviewers(standard),
        verb="material_submitted",
        submission=submission,
        title=lambda: _("Material to review: %(code)s %(title)s (%(unit)s, version %(version)d)") % values,
        body=lambda: _("Submitted late (due %(due)s).") % values if submission.is_late else "",
    )
    return submission


# --- review ---------------------------------------------------------------------------------------------------


@transaction.atomic
def submission_accept(*, actor, submission, note: str = "") -> MaterialSubmission:
    """Submitted → accepted (the office or a member of the material review group)."""
    submission = _lock(actor=actor, submission=submission, action="accept")
    submission.status = S.ACCEPTED
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _event(submission=submission, verb=V.ACCEPTED, actor=actor, note=(note or "").strip())
    values = _values(submission)
    _notify_later(
        recipients=lambda: _unit_users(submission.unit_id),
        verb="material_accepted",
        submission=submission,
        title=lambda: _("Material accepted: %(code)s %(title)s (version %(version)d)") % values,
        body=(note or "").strip(),
    )
    return submission


@transaction.atomic
def submission_return(*, actor, submission, reason: str) -> MaterialSubmission:
    """Submitted → returned with the reasons; the unit starts a new version."""
    submission = _lock(actor=actor, submission=submission, action="return")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the material.")})
    submission.status = S.RETURNED
    submission.return_reason = reason
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    _event(submission=submission, verb=V.RETURNED, actor=actor, note=reason)
    values = _values(submission)
    _notify_later(
        recipients=lambda: _unit_users(submission.unit_id),
        verb="material_returned",
        submission=submission,
        title=lambda: _("Material returned: %(code)s %(title)s (version %(version)d)") % values,
        body=reason[:500],
    )
    return submission


@transaction.atomic
def submission_resubmit(*, actor, submission, note: str = "", files=()) -> MaterialSubmission:
    """After a return: the next version as a new draft (is_current moves to it; the returned one stays as it was).
    Files are not copied: the unit adds them again (`files`, or later with submission_add_files)."""
    old = _lock(actor=actor, submission=submission, action="resubmit")
    prepared = prepare_material_files(files)
    old.is_current = False
    old.save(update_fields=["is_current"])
    new = MaterialSubmission.objects.create(
        requirement=old.requirement,
        unit=old.unit,
        version=old.version + 1,
        is_current=True,
        status=S.DRAFT,
        note=(note or "").strip(),
        created_by=actor,
        # The chase carries over: the new version is not reminded again for the same due date.
        reminded_at=old.reminded_at,
        overdue_notified_at=old.overdue_notified_at,
        escalation_level=old.escalation_level,
    )
    _event(
        submission=new,
        verb=V.RESUBMITTED,
        actor=actor,
        note=_("Version %(version)d, after version %(previous)d was returned.")
        % {"version": new.version, "previous": old.version},
    )
    store_material_files(submission=new, prepared=prepared, actor=actor)
    return new


# --- reminders, overdue notices, escalation (the nightly job) ------------------------------------------------


def escalation_level_for(*, due_date: date, today: date) -> int:
    """0 until the first working day after the due date; then 1 (the unit), 2 (the office) after
    ESCALATION_LEVELS[2] working days, 3 (the leaders) after ESCALATION_LEVELS[3]."""
    if today <= due_date:
        return 0
    late = working_days_between(due_date, today)
    level = 0
    for candidate, days in sorted(ESCALATION_LEVELS.items()):
        if late >= days:
            level = candidate
    return level


def material_remind_all(*, today: date | None = None) -> dict:
    """Remind units that owe material REMINDER_WORKING_DAYS_BEFORE working days before the due date (once), send
    the overdue notice on the first working day after it (once) and escalate as it stays overdue. Safe to run
    twice: each step is recorded on the unit's current version (a draft is opened for a unit that has nothing) and
    happens only once. Returns counts."""
    today = today or selectors.local_today()
    horizon = add_working_days(today, REMINDER_WORKING_DAYS_BEFORE)
    Through = MaterialRequirement.units.through
    pairs = list(
        Through.objects.filter(materialrequirement__due_date__lte=horizon)
        .order_by("materialrequirement_id", "unit_id")
        .values_list("materialrequirement_id", "unit_id", "materialrequirement__due_date")
    )
    state = {
        (r, u): (status, reminded, level)
        for r, u, status, reminded, level in MaterialSubmission.objects.filter(
            requirement_id__in={p[0] for p in pairs}, is_current=True
        ).values_list("requirement_id", "unit_id", "status", "reminded_at", "escalation_level")
    }
    counts = {"reminded": 0, "overdue": 0, "escalated": 0}
    for requirement_id, unit_id, due in pairs:
        status, reminded, level = state.get((requirement_id, unit_id), (None, None, 0))
        if status in selectors.DONE_STATUSES:
            continue
        wanted = escalation_level_for(due_date=due, today=today)
        if (wanted == 0 and reminded is not None) or (wanted and wanted <= level):
            continue
        for key, n in _chase(requirement_id=requirement_id, unit_id=unit_id, today=today).items():
            counts[key] += n
    return counts


@transaction.atomic
def _chase(*, requirement_id: int, unit_id: int, today: date) -> dict:
    done = {"reminded": 0, "overdue": 0, "escalated": 0}
    requirement = (
        MaterialRequirement.objects.select_for_update().select_related("standard").filter(pk=requirement_id).first()
    )
    if requirement is None or not requirement.units.filter(pk=unit_id).exists():
        return done
    submission = (
        MaterialSubmission.objects.select_for_update()
        .filter(requirement=requirement, unit_id=unit_id, is_current=True)
        .first()
    )
    if submission is not None and submission.status in selectors.DONE_STATUSES:
        return done
    level = escalation_level_for(due_date=requirement.due_date, today=today)
    if level == 0 and working_days_between(today, requirement.due_date) > REMINDER_WORKING_DAYS_BEFORE:
        return done
    if submission is None:
        submission = MaterialSubmission.objects.create(requirement=requirement, unit_id=unit_id, created_by=None)
        _event(submission=submission, verb=V.CREATED, note=_("Opened by the reminder job."))
    submission.requirement = requirement
    values = {
        "code": requirement.standard.code,
        "title": requirement.title,
        "due": requirement.due_date.isoformat(),
        "days": working_days_between(requirement.due_date, today),
    }
    now = timezone.now()
    fields = []
    if level == 0 and submission.reminded_at is None:
        submission.reminded_at = now
        fields.append("reminded_at")
        _event(submission=submission, verb=V.REMINDED, note=_("Due %(due)s.") % values)
        _notify_later(
            recipients=lambda: _unit_users(unit_id),
            verb="material_due_soon",
            submission=submission,
            title=lambda: _("Material due %(due)s: %(code)s %(title)s") % values,
            body=lambda: _("Your unit has not submitted this material yet."),
        )
        done["reminded"] += 1
    if level >= 1 and submission.overdue_notified_at is None:
        submission.overdue_notified_at = now
        fields.append("overdue_notified_at")
        _event(submission=submission, verb=V.OVERDUE, note=_("Due %(due)s.") % values)
        _escalation_notice(submission=submission, level=1, values=values, unit_id=unit_id)
        done["overdue"] += 1
    if level > submission.escalation_level:
        submission.escalation_level = level
        fields.append("escalation_level")
        if level >= 2:
            _escalation_notice(submission=submission, level=level, values=values, unit_id=unit_id)
            _event(
                submission=submission,
                verb=V.ESCALATED,
                note=_("Level %(level)d: %(days)d working days overdue.") % {**values, "level": level},
            )
            done["escalated"] += 1
    if fields:
        submission.save(update_fields=fields)
    return done


def _escalation_notice(*, submission, level, values, unit_id):
    if level == 1:
        recipients = lambda: _unit_users(unit_id)  # noqa: E731
    elif level == 2:
        recipients = lambda: _unit_users(unit_id) + _users(role=Role.OFFICE)  # noqa: E731
    else:
        recipients = lambda: _users(role=Role.OFFICE) + _users(role=Role.LEADER)  # noqa: E731
    unit_name = submission.unit.name
    _notify_later(
        recipients=recipients,
        verb="material_overdue",
        submission=submission,
        title=lambda: _("Material overdue: %(code)s %(title)s (%(unit)s, due %(due)s)") % {**values, "unit": unit_name},
        body=lambda: _("%(days)d working days overdue; nothing accepted or under review yet.") % values,
    )
