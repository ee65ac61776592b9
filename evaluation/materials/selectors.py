"""Reads of material review (材料申报与审核): requirements, submissions, what a unit owes, the reviewer's queue, and
who may do what to a submission (`submission_action_refusal`, shared by the services, pages and API).

Every read starts from `core.registry.visible_to`; refusals follow CONTRACT.md: out of scope 404, a role that may
not 403, a state that does not allow it 409."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import InvalidTransition, NotInScope, NotPermitted
from core.registry import visible_to
from core.scope import scope_of
from evaluation.models import (
    EvaluationItem,
    MaterialEvent,
    MaterialFile,
    MaterialRequirement,
    MaterialSubmission,
    Method,
)
from evaluation.visibility import is_material_reviewer, reviewed_standards

S = MaterialSubmission.Status
OWED_STATUSES = (S.DRAFT, S.RETURNED)  # the unit still owes the material (nothing sent, or sent back)
DONE_STATUSES = (S.SUBMITTED, S.ACCEPTED)


def local_today() -> date:
    return timezone.localdate()


def material_standards() -> QuerySet:
    """The standards checked by material (材料审核), in evaluation order."""
    return (
        EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD, methods__method=Method.MATERIAL)
        .select_related("parent", "parent__parent")
        .order_by("parent__parent__sort_order", "parent__sort_order", "sort_order", "code")
        .distinct()
    )


# --- requirements -------------------------------------------------------------------------------------------


def requirement_list(*, user) -> QuerySet:
    """The visible requirements with their standard and the counts of their units' current versions."""
    return (
        visible_to(MaterialRequirement, user)
        .select_related("standard", "standard__parent", "standard__parent__parent")
        .annotate(
            unit_count=Count("units", distinct=True),
            accepted_count=Count(
                "submissions",
                filter=Q(submissions__is_current=True, submissions__status=S.ACCEPTED),
                distinct=True,
            ),
            submitted_count=Count(
                "submissions",
                filter=Q(submissions__is_current=True, submissions__status=S.SUBMITTED),
                distinct=True,
            ),
            returned_count=Count(
                "submissions",
                filter=Q(submissions__is_current=True, submissions__status=S.RETURNED),
                distinct=True,
            ),
        )
        .order_by("due_date", "standard__code", "sort_order", "id")
    )


@dataclass
class UnitRow:
    """One submitting unit of a requirement: its current version and every version (those the user sees)."""

    unit: object
    current: MaterialSubmission | None
    versions: list


def requirement_unit_rows(*, requirement, user) -> list[UnitRow]:
    """Each submitting unit with its visible versions (newest first); units the user cannot see submissions of
    still show, without versions, when the user sees the requirement (so the office sees who has nothing)."""
    submissions = list(
        visible_to(MaterialSubmission, user)
        .filter(requirement=requirement)
        .select_related("unit", "reviewed_by")
        .annotate(file_count=Count("files"))
        .order_by("unit_id", "-version")
    )
    by_unit: dict[int, list] = {}
    for submission in submissions:
        by_unit.setdefault(submission.unit_id, []).append(submission)
    rows = []
    for unit in requirement.units.all():
        versions = by_unit.get(unit.pk, [])
        current = next((v for v in versions if v.is_current), None)
        rows.append(UnitRow(unit=unit, current=current, versions=versions))
    return rows


# --- submissions --------------------------------------------------------------------------------------------


def submission_list(*, user) -> QuerySet:
    return (
        visible_to(MaterialSubmission, user)
        .select_related("requirement", "requirement__standard", "unit")
        .annotate(file_count=Count("files"))
        .order_by("-created_at", "-id")
    )


def review_queue(*, user) -> QuerySet:
    """Submitted versions awaiting review that this user may review, oldest first."""
    scope = scope_of(user)
    queryset = submission_list(user=user).filter(status=S.SUBMITTED, is_current=True)
    if not is_material_reviewer(scope):
        return queryset.none()
    if not scope.is_office:
        queryset = queryset.filter(requirement__standard__in=reviewed_standards(scope))
    return queryset.order_by("submitted_at", "id")


def submission_detail(*, user, pk) -> MaterialSubmission:
    from core.registry import get_visible

    return get_visible(
        MaterialSubmission,
        user,
        pk=pk,
        queryset=MaterialSubmission.objects.select_related(
            "requirement", "requirement__standard", "requirement__standard__parent", "unit", "created_by", "reviewed_by"
        ),
    )


def submission_files(submission) -> list[MaterialFile]:
    return list(submission.files.select_related("uploaded_by").order_by("id"))


def submission_versions(*, user, submission) -> list[MaterialSubmission]:
    return list(
        visible_to(MaterialSubmission, user)
        .filter(requirement_id=submission.requirement_id, unit_id=submission.unit_id)
        .annotate(file_count=Count("files"))
        .select_related("reviewed_by")
        .order_by("-version")
    )


def submission_events(submission) -> list[MaterialEvent]:
    return list(submission.events.select_related("actor").order_by("created_at", "id"))


def is_overdue(*, requirement, submission, today: date | None = None) -> bool:
    """Past the due date and the unit has nothing under review or accepted."""
    today = today or local_today()
    if requirement.due_date >= today:
        return False
    return submission is None or submission.status in OWED_STATUSES


def may_review(user, submission) -> bool:
    """The office, or a member of a material review body whose projects hold the submission's standard."""
    scope = scope_of(user)
    if scope.read_only or not scope.is_authenticated:
        return False
    if scope.is_office:
        return True
    reviewed = reviewed_standards(scope)
    return reviewed is not None and reviewed.filter(pk=submission.requirement.standard_id).exists()


def is_unit_liaison_of(user, unit_id) -> bool:
    scope = scope_of(user)
    return scope.is_unit and not scope.read_only and scope.unit_id == unit_id


UNIT_ACTIONS = ("edit", "submit", "resubmit")
REVIEW_ACTIONS = ("accept", "return")


def submission_action_refusal(*, user, submission, action: str):
    """None when `user` may do `action` now; else (error class, translated message). Scope (404), then role (403),
    then state (409)."""
    from core.registry import is_visible

    if not is_visible(MaterialSubmission, user, submission.pk):
        return NotInScope, _("Submission not found.")
    scope = scope_of(user)
    if scope.read_only:
        return NotPermitted, _("Your role does not allow this action.")
    if action in UNIT_ACTIONS:
        if not is_unit_liaison_of(user, submission.unit_id):
            return NotPermitted, _("Only the submitting unit may change its material.")
        if not submission.is_current:
            return InvalidTransition, _("This is an earlier version; open the current one.")
        if action in ("edit", "submit") and submission.status != S.DRAFT:
            return InvalidTransition, _("This version was already submitted (%(status)s).") % {
                "status": submission.get_status_display()
            }
        if action == "resubmit" and submission.status != S.RETURNED:
            return InvalidTransition, _("A new version can be started only after the material was returned.")
        return None
    if action in REVIEW_ACTIONS:
        if not may_review(user, submission):
            return NotPermitted, _("Only the office or the material review group may review material.")
        if submission.status != S.SUBMITTED:
            if submission.status == S.DRAFT:
                return InvalidTransition, _("This version has not been submitted yet.")
            return InvalidTransition, _("This version was already reviewed (%(status)s).") % {
                "status": submission.get_status_display()
            }
        return None
    raise ValueError(action)


def submission_actions(*, user, submission) -> set[str]:
    """The actions this user may do on the submission now (for pages)."""
    return {
        a
        for a in (*UNIT_ACTIONS, *REVIEW_ACTIONS)
        if not submission_action_refusal(user=user, submission=submission, action=a)
    }


# --- a unit's page ------------------------------------------------------------------------------------------


@dataclass
class Obligation:
    """One requirement a unit must submit, with its current version."""

    requirement: MaterialRequirement
    current: MaterialSubmission | None
    overdue: bool
    days_left: int

    @property
    def status(self) -> str:
        return self.current.status if self.current else ""


def unit_obligations(*, unit_id: int, today: date | None = None) -> list[Obligation]:
    """What the unit owes: every requirement naming it, with its current version (two queries)."""
    today = today or local_today()
    requirements = list(
        MaterialRequirement.objects.filter(units=unit_id)
        .select_related("standard", "standard__parent", "standard__parent__parent")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=MaterialSubmission.objects.filter(unit_id=unit_id, is_current=True).annotate(
                    file_count=Count("files")
                ),
                to_attr="current_versions",
            )
        )
        .order_by("due_date", "standard__code", "sort_order", "id")
    )
    rows = []
    for requirement in requirements:
        current = requirement.current_versions[0] if requirement.current_versions else None
        rows.append(
            Obligation(
                requirement=requirement,
                current=current,
                overdue=is_overdue(requirement=requirement, submission=current, today=today),
                days_left=(requirement.due_date - today).days,
            )
        )
    return rows


def default_units(standard) -> list:
    """The units that submit by default: the standard's responsible units (责任单位) on the responsibility list, or
    its lead units (牵头单位) when no row names responsible units."""
    from campaign.models import Unit
    from evaluation.models import Responsibility

    rows = Responsibility.objects.filter(standard=standard)
    ids = set(rows.exclude(units=None).values_list("units", flat=True)) or set(
        rows.values_list("lead_unit_id", flat=True)
    )
    return list(Unit.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def not_found_message() -> str:
    return _("Submission not found.")
