"""Every change of readiness: the office's estimates (ReadinessInput) and the weekly snapshot (ReadinessSnapshot)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotPermitted
from core.registry import REGISTRY
from core.scope import CITY_WIDE, scope_of
from evaluation.models import EvaluationItem, ReadinessInput, ReadinessSnapshot

from . import scoring, selectors

ESTIMATED_METHODS = scoring.ESTIMATED


def _require_office(actor) -> None:
    REGISTRY.require_writable(actor)
    if not scope_of(actor).is_office or not scope_of(actor).sees_everything:
        raise NotPermitted(_("Only the campaign office may enter readiness estimates."))


def _share(value) -> Decimal:
    try:
        share = Decimal(str(value)).quantize(Decimal("0.0001"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"share": _("Enter the share as a number between 0 and 1.")}) from None
    if not share.is_finite() or share < 0 or share > 1:
        raise ValidationError({"share": _("Enter the share as a number between 0 and 1.")})
    return share


@transaction.atomic
def readiness_input_set(*, actor, standard: EvaluationItem, method: str, share, note: str = "") -> ReadinessInput:
    """The office's estimate of one standard's online-survey or briefing share (0–1); creates or updates it."""
    _require_office(actor)
    if method not in ESTIMATED_METHODS:
        raise ValidationError({"method": _("Estimates are entered only for the online survey and the briefing.")})
    if standard is None or standard.level != EvaluationItem.Level.STANDARD:
        raise ValidationError({"standard": _("Choose an evaluation standard.")})
    if not standard.methods.filter(method=method).exists():
        raise ValidationError({"method": _("This standard is not collected by that method.")})
    share = _share(share)
    row = ReadinessInput.objects.select_for_update().filter(standard=standard, method=method).first()
    if row is None:
        row = ReadinessInput(standard=standard, method=method)
    row.share, row.note, row.set_by = share, (note or "").strip(), actor
    row._history_user = actor
    row.save()
    return row


@transaction.atomic
def readiness_input_clear(*, actor, standard: EvaluationItem, method: str) -> int:
    """Remove an estimate: the method falls back to the stated default."""
    _require_office(actor)
    deleted, _rows = ReadinessInput.objects.filter(standard=standard, method=method).delete()
    return deleted


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def readiness_snapshot(*, week: date) -> int:
    """Keep the predicted score of `week` (its Monday): one row per standard for the city (region None) and for each
    street, computed from the evidence up to the week's Sunday (or today, for the current week), read CITY_WIDE.
    Safe to run twice: the week's rows are replaced. Answers the number of rows written."""
    week = week_of(week)
    as_of = min(week + timedelta(days=6), timezone.localdate())
    data = selectors.readiness(CITY_WIDE, as_of=as_of)
    rows = [_snapshot(week, None, r) for r in data["standards"]]
    for street_id, street_rows in data["street_rows"].items():
        rows.extend(_snapshot(week, street_id, r) for r in street_rows)
    ReadinessSnapshot.objects.filter(week=week).delete()
    ReadinessSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _snapshot(week, region_id, row) -> ReadinessSnapshot:
    return ReadinessSnapshot(
        week=week,
        standard_id=row["id"],
        region_id=region_id,
        points=Decimal(str(row["points"])).quantize(Decimal("0.01")),
        share=Decimal(str(row["share"])).quantize(Decimal("0.0001")),
        # share, n and source per method, and the part's points at risk (kept weeks are summed by the database)
        parts={m: {k: p[k] for k in ("share", "n", "source", "points_at_risk")} for m, p in row["parts"].items()},
    )


def readiness_snapshot_current() -> int:
    """The beat job: keep this week's snapshot (re-run during the week, it refreshes the week's rows)."""
    return readiness_snapshot(week=timezone.localdate())
