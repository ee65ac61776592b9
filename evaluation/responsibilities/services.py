"""Writes of the responsibility list (任务分解表 / 责任清单). Only the campaign office writes (the leader reads, units
read their own duties); every function takes the keyword-only `actor`, owns its transaction, locks the row it
changes and keeps its history (simple_history, with the actor).

Import semantics (`responsibility_import`): one row per duty, keyed by (standard code, lead unit, task). A row
whose key matches a duty already on the list updates it in place (method, responsible units, deadline); any other
row adds a duty; duties not in the file are left as they are (the import never deletes). 销号 (done) is not in the
file: re-importing an exported list changes nothing. The whole sheet is checked first and nothing is written
unless every row is clean; every bad row is reported with its row number."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.models import Unit
from core.exceptions import InvalidTransition
from core.imports import Column, ImportResult, RowError, cell_text, read_sheet, split_list
from core.inputs import FIRST_DAY, LAST_DAY
from evaluation.models import EvaluationItem, Method, Responsibility, StandardMethod
from evaluation.services import METHOD_ALIASES, require_office

TASK_MAX = 2000

RESPONSIBILITY_COLUMNS = [
    Column("standard_code", "标准编码", gettext_lazy("Standard code"), True),
    Column("method", "测评方法", gettext_lazy("Method")),
    Column("lead_unit", "牵头单位", gettext_lazy("Lead unit"), True),
    Column("units", "责任单位", gettext_lazy("Responsible units")),
    Column("task", "具体任务", gettext_lazy("Task"), True),
    Column("deadline", "完成时限", gettext_lazy("Deadline")),
]
# Shown in the export beside the columns above, for the reader (the import does not read them).
EXPORT_EXTRA = [
    ("standard_text", "测评标准内容", gettext_lazy("Standard text")),
    ("points", "分值", gettext_lazy("Points")),
    ("done", "销号", gettext_lazy("Done")),
]
METHOD_LABELS = {
    Method.FIELD: "实地考察",
    Method.QUESTIONNAIRE: "问卷调查",
    Method.MATERIAL: "材料审核",
    Method.ONLINE: "网络调查",
    Method.BRIEFING: "听取汇报",
    Method.OBSERVATION: "整体观察",
}


# --- One duty --------------------------------------------------------------------------------------------------


def _check_fields(*, standard, lead_unit, units, task, method, deadline) -> str:
    """The field messages of a duty (ValidationError, 400), before anything is written; the task stripped."""
    errors = {}
    if standard is None or standard.level != EvaluationItem.Level.STANDARD:
        errors["standard"] = _("Choose an evaluation standard (not a project or a content).")
    task = (task or "").strip()
    if not task:
        errors["task"] = _("Describe the task.")
    elif len(task) > TASK_MAX:
        errors["task"] = _("The task is longer than %(max)d characters.") % {"max": TASK_MAX}
    if lead_unit is None:
        errors["lead_unit"] = _("Choose the lead unit.")
    if method not in Method.values:
        errors["method"] = _("Choose a method.")
    elif "standard" not in errors:
        methods = set(standard.methods.values_list("method", flat=True))
        if method not in methods:
            errors["method"] = _("This standard is not collected by %(method)s.") % {
                "method": Method(method).label,
            }
    if deadline is not None and not (FIRST_DAY <= deadline <= LAST_DAY):
        errors["deadline"] = _("Enter a date between %(first)s and %(last)s.") % {
            "first": FIRST_DAY.isoformat(),
            "last": LAST_DAY.isoformat(),
        }
    if errors:
        raise ValidationError(errors)
    return task


def _distinct_units(units) -> list:
    return list({u.pk: u for u in (units or [])}.values())


def responsibility_create(
    *, actor, standard, lead_unit, task, method, units=(), deadline: date | None = None
) -> Responsibility:
    require_office(actor)
    task = _check_fields(
        standard=standard, lead_unit=lead_unit, units=units, task=task, method=method, deadline=deadline
    )
    with transaction.atomic():
        duty = Responsibility(standard=standard, lead_unit=lead_unit, task=task, method=method, deadline=deadline)
        duty._history_user = actor
        duty.save()
        duty.units.set(_distinct_units(units))
    return duty


def responsibility_update(
    *, actor, responsibility: Responsibility, standard, lead_unit, task, method, units=(), deadline=None
) -> Responsibility:
    require_office(actor)
    task = _check_fields(
        standard=standard, lead_unit=lead_unit, units=units, task=task, method=method, deadline=deadline
    )
    with transaction.atomic():
        duty = Responsibility.objects.select_for_update().get(pk=responsibility.pk)
        duty.standard, duty.lead_unit, duty.task, duty.method, duty.deadline = (
            standard,
            lead_unit,
            task,
            method,
            deadline,
        )
        duty._history_user = actor
        duty.save(update_fields=["standard", "lead_unit", "task", "method", "deadline"])
        duty.units.set(_distinct_units(units))
    return duty


def responsibility_delete(*, actor, responsibility: Responsibility) -> None:
    """Take a duty off the list (its history keeps it)."""
    require_office(actor)
    with transaction.atomic():
        duty = Responsibility.objects.select_for_update().get(pk=responsibility.pk)
        duty._history_user = actor
        duty.delete()


def responsibility_mark_done(*, actor, responsibility: Responsibility) -> Responsibility:
    """销号: the office marks the duty done (409 when it already is)."""
    require_office(actor)
    with transaction.atomic():
        duty = Responsibility.objects.select_for_update().get(pk=responsibility.pk)
        if duty.done_at is not None:
            raise InvalidTransition(_("This duty is already marked done."))
        duty.done_at, duty.done_by = timezone.now(), actor
        duty._history_user = actor
        duty.save(update_fields=["done_at", "done_by"])
    return duty


def responsibility_reopen(*, actor, responsibility: Responsibility) -> Responsibility:
    """Dynamic 销号: a duty marked done is opened again (409 when it is open)."""
    require_office(actor)
    with transaction.atomic():
        duty = Responsibility.objects.select_for_update().get(pk=responsibility.pk)
        if duty.done_at is None:
            raise InvalidTransition(_("This duty is not marked done."))
        duty.done_at, duty.done_by = None, None
        duty._history_user = actor
        duty.save(update_fields=["done_at", "done_by"])
    return duty


# --- The sheet -------------------------------------------------------------------------------------------------


def parse_deadline(value) -> date | None:
    """A deadline cell: a date cell, or text such as 2026-05-31, 2026/5/31, 2026.5.31 or 2026年5月31日. Empty: None.
    ValueError when it is not a date (or outside the app's calendar)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = cell_text(value)
        for old in ("年", "月", "/", "."):
            text = text.replace(old, "-")
        text = text.replace("日", "").strip()
        parts = text.split("-")
        if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
            raise ValueError(value)
        day = date(*(int(p) for p in parts))  # ValueError for 2026-02-30
    if not (FIRST_DAY <= day <= LAST_DAY):
        raise ValueError(value)
    return day


def _unit_lookup() -> dict:
    lookup = {}
    for unit in Unit.objects.only("pk", "name", "code"):
        lookup.setdefault(unit.name, unit)
        lookup[unit.code.lower()] = unit
    return lookup


def _find_unit(lookup, word):
    return lookup.get(word) or lookup.get(word.lower())


def responsibility_import(*, actor, file) -> ImportResult:
    """The responsibility list from an office's sheet (see the module's docstring for what a row does)."""
    require_office(actor)
    rows, errors = read_sheet(file, RESPONSIBILITY_COLUMNS)
    result = ImportResult(errors=errors)
    if errors:
        return result

    items = {i.code: i for i in EvaluationItem.objects.all()}
    methods_of: dict[int, set] = {}
    for standard_id, method in StandardMethod.objects.values_list("standard_id", "method"):
        methods_of.setdefault(standard_id, set()).add(method)
    units = _unit_lookup()
    parsed = []
    seen: dict[tuple, int] = {}
    for number, row in rows:
        problems = []
        values = {c.key: row.get(c.key) for c in RESPONSIBILITY_COLUMNS}
        text = {key: cell_text(value) for key, value in values.items()}
        missing = [c.header for c in RESPONSIBILITY_COLUMNS if c.required and not text[c.key]]
        if missing:
            result.errors.append(
                RowError(number, _("Empty required cells: %(columns)s.") % {"columns": "、".join(missing)})
            )
            continue
        standard = items.get(text["standard_code"])
        if standard is None:
            problems.append(_("Unknown standard code %(code)s.") % {"code": text["standard_code"]})
        elif standard.level != EvaluationItem.Level.STANDARD:
            problems.append(
                _("%(code)s is a %(level)s, not a standard.")
                % {"code": standard.code, "level": standard.get_level_display()}
            )
            standard = None
        method = None
        if text["method"]:
            method = METHOD_ALIASES.get(text["method"].lower())
            if method is None:
                problems.append(
                    _("Unknown method “%(value)s”: use 实地考察, 问卷调查, 材料审核, 网络调查, 听取汇报 or 整体观察.")
                    % {"value": text["method"]}
                )
        if standard is not None:
            allowed = methods_of.get(standard.pk, set())
            if method is None and not text["method"]:
                if len(allowed) == 1:
                    method = next(iter(allowed))
                else:
                    problems.append(
                        _("Standard %(code)s has several methods: name one (%(methods)s).")
                        % {"code": standard.code, "methods": "、".join(METHOD_LABELS[m] for m in sorted(allowed))}
                    )
            elif method is not None and method not in allowed:
                problems.append(
                    _("Standard %(code)s is not collected by %(method)s (its methods: %(methods)s).")
                    % {
                        "code": standard.code,
                        "method": METHOD_LABELS[method],
                        "methods": "、".join(METHOD_LABELS[m] for m in sorted(allowed)) or "—",
                    }
                )
        lead = _find_unit(units, text["lead_unit"])
        if lead is None:
            problems.append(_("Unknown lead unit %(name)s.") % {"name": text["lead_unit"]})
        responsible, unknown = [], []
        for word in split_list(values["units"]):
            unit = _find_unit(units, word)
            (responsible.append(unit) if unit else unknown.append(word))
        if unknown:
            problems.append(_("Unknown responsible units: %(names)s.") % {"names": "、".join(unknown)})
        task = text["task"]
        if len(task) > TASK_MAX:
            problems.append(_("The task is longer than %(max)d characters.") % {"max": TASK_MAX})
        try:
            deadline = parse_deadline(values["deadline"])
        except (ValueError, TypeError):
            deadline = None
            problems.append(_("The deadline “%(value)s” is not a date.") % {"value": text["deadline"]})
        if not problems:
            key = (standard.pk, lead.pk, task)
            if key in seen:
                problems.append(_("The same duty appears twice (first on row %(row)s).") % {"row": seen[key]})
            seen.setdefault(key, number)
        if problems:
            result.errors.extend(RowError(number, message) for message in problems)
            continue
        parsed.append(
            {
                "standard": standard,
                "lead_unit": lead,
                "task": task,
                "method": method,
                "units": _distinct_units(responsible),
                "deadline": deadline,
                "order": len(parsed) + 1,
            }
        )
    if result.errors:
        return result

    with transaction.atomic():
        keys = {(d["standard"].pk, d["lead_unit"].pk, d["task"]) for d in parsed}
        existing = {}
        candidates = Responsibility.objects.select_for_update().filter(
            standard_id__in={k[0] for k in keys}, lead_unit_id__in={k[1] for k in keys}
        )
        for duty in candidates.order_by("id"):
            existing.setdefault((duty.standard_id, duty.lead_unit_id, duty.task), duty)
        current_units = {}
        for duty_id, unit_id in Responsibility.units.through.objects.filter(
            responsibility_id__in=[d.pk for d in existing.values()]
        ).values_list("responsibility_id", "unit_id"):
            current_units.setdefault(duty_id, set()).add(unit_id)
        for data in parsed:
            key = (data["standard"].pk, data["lead_unit"].pk, data["task"])
            duty = existing.get(key)
            unit_ids = {u.pk for u in data["units"]}
            if duty is None:
                duty = Responsibility(
                    standard=data["standard"],
                    lead_unit=data["lead_unit"],
                    task=data["task"],
                    method=data["method"],
                    deadline=data["deadline"],
                    sort_order=data["order"],
                )
                duty._history_user = actor
                duty.save()
                duty.units.set(data["units"])
                result.created += 1
                continue
            changed = (
                duty.method != data["method"]
                or duty.deadline != data["deadline"]
                or current_units.get(duty.pk, set()) != unit_ids
            )
            if not changed:
                continue
            duty.method, duty.deadline = data["method"], data["deadline"]
            duty._history_user = actor
            duty.save(update_fields=["method", "deadline"])
            duty.units.set(data["units"])
            result.updated += 1
    result.details = {"rows": len(parsed), "unchanged": len(parsed) - result.created - result.updated}
    return result


def export_headers() -> list[str]:
    """The import's columns (Chinese headers, so an export imports again), then the reader's extra columns."""
    return [c.header for c in RESPONSIBILITY_COLUMNS] + [header for _key, header, _label in EXPORT_EXTRA]


def export_rows(queryset):
    """One sheet row per duty (the queryset shaped by selectors.responsibility_list: no per-row queries)."""
    for duty in queryset:
        yield [
            duty.standard.code,
            METHOD_LABELS.get(duty.method, duty.method),
            duty.lead_unit.name,
            "、".join(u.name for u in duty.units.all()),
            duty.task,
            duty.deadline,
            duty.standard.text,
            duty.standard.max_score,
            timezone.localtime(duty.done_at).date() if duty.done_at else "",
        ]


SAMPLE_ROWS = [
    (
        "P010202",
        "材料审核",
        "平城区市场监督管理局",
        "南关农贸市场、站前农贸市场管理有限公司",
        "农贸市场明码标价、公平秤设置台账",
        "2026-05-31",
    ),
    (
        "P020103",
        "实地考察",
        "平城区城市管理局",
        "南关街道办事处、北关街道办事处",
        "清理主次干道小广告，建立巡查清理记录",
        "2026/6/15",
    ),
]


def responsibility_sample_workbook() -> bytes:
    """The template offices fill in: the import's columns and two example rows."""
    from core.xlsx import xlsx_bytes

    return xlsx_bytes(headers=[c.header for c in RESPONSIBILITY_COLUMNS], rows=SAMPLE_ROWS, sheet_title="责任清单")
