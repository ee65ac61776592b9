"""Writes of the evaluation system (测评体系). The responsibility list and material review have their own modules
(`responsibilities.py`, `materials.py`); every function owns its transaction, checks who may do it, and raises a
translated domain error. Imports validate the whole sheet first and write nothing unless every row is clean."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.exceptions import NotPermitted
from core.imports import Column, ImportResult, RowError, cell_text, read_sheet, split_list
from core.scope import scope_of

from .models import EvaluationItem, Method, StandardMethod


def require_office(actor):
    scope = scope_of(actor)
    if not scope.is_office or scope.read_only:
        raise NotPermitted(_("Only the campaign office may do this."))


# The words offices write for a method (Chinese as in the official system, English for our own exports).
METHOD_ALIASES = {
    "实地考察": Method.FIELD,
    "实地检查": Method.FIELD,
    "field": Method.FIELD,
    "field inspection": Method.FIELD,
    "问卷调查": Method.QUESTIONNAIRE,
    "问卷": Method.QUESTIONNAIRE,
    "questionnaire": Method.QUESTIONNAIRE,
    "材料审核": Method.MATERIAL,
    "材料审查": Method.MATERIAL,
    "material": Method.MATERIAL,
    "material review": Method.MATERIAL,
    "网络调查": Method.ONLINE,
    "网上调查": Method.ONLINE,
    "online": Method.ONLINE,
    "online survey": Method.ONLINE,
    "听取汇报": Method.BRIEFING,
    "briefing": Method.BRIEFING,
    "整体观察": Method.OBSERVATION,
    "observation": Method.OBSERVATION,
    "overall observation": Method.OBSERVATION,
}


def parse_methods(value) -> tuple[list[str], list[str]]:
    """("实地考察、材料审核") → (["field", "material"], unknown words)."""
    methods, unknown = [], []
    for word in split_list(value):
        method = METHOD_ALIASES.get(word.lower())
        if method is None:
            unknown.append(word)
        elif method not in methods:
            methods.append(method)
    return methods, unknown


EVALUATION_COLUMNS = [
    Column("project_code", "项目编码", gettext_lazy("Project code"), True),
    Column("project", "项目", gettext_lazy("Project"), True),
    Column("content_code", "内容编码", gettext_lazy("Content code"), True),
    Column("content", "内容", gettext_lazy("Content"), True),
    Column("standard_code", "标准编码", gettext_lazy("Standard code"), True),
    Column("standard", "标准", gettext_lazy("Standard"), True),
    Column("method", "测评方法", gettext_lazy("Method")),
    Column("score", "分值", gettext_lazy("Points")),
    Column("site_types", "适用点位类型", gettext_lazy("Applicable site types")),
]


def evaluation_import(*, actor, file) -> ImportResult:
    """Import the evaluation system from a sheet with one row per standard (its project and content repeated on
    each row; its methods as a list, e.g. "实地考察、材料审核"; its points). Existing codes are updated in place;
    nothing is written unless every row is valid. The standards' methods and site types are replaced by the ones
    listed (no method given: field inspection)."""
    from inspections.models import SiteType

    require_office(actor)
    rows, errors = read_sheet(file, EVALUATION_COLUMNS)
    result = ImportResult(errors=errors)
    if errors:
        return result

    type_lookup = {}
    for st in SiteType.objects.all():
        type_lookup[st.name] = st
        type_lookup[st.code.lower()] = st
    existing = {item.code: item for item in EvaluationItem.objects.select_related("parent")}

    projects: dict[str, dict] = {}
    contents: dict[str, dict] = {}
    standards: dict[str, dict] = {}
    for number, row in rows:

        def bad(message, _number=number):
            result.errors.append(RowError(_number, message))

        values = {key: cell_text(row.get(key)) for key in (c.key for c in EVALUATION_COLUMNS)}
        missing = [c.header for c in EVALUATION_COLUMNS if c.required and not values[c.key]]
        if missing:
            bad(_("Empty required cells: %(columns)s.") % {"columns": "、".join(missing)})
            continue
        too_long = [values[k] for k in ("project_code", "content_code", "standard_code") if len(values[k]) > 40]
        if too_long:
            bad(_("A code is longer than 40 characters: %(code)s.") % {"code": too_long[0]})
            continue
        pc, cc, sc = values["project_code"], values["content_code"], values["standard_code"]
        codes = {pc: "project", cc: "content", sc: "standard"}
        if len(codes) < 3:
            bad(_("The project, content and standard codes must all be different."))
            continue
        row_ok = True
        seen_at_level = {"project": projects, "content": contents, "standard": standards}
        for code, level in codes.items():
            elsewhere = any(code in seen for lvl, seen in seen_at_level.items() if lvl != level)
            if elsewhere:
                bad(_("Code %(code)s is used at two different levels in the file.") % {"code": code})
                row_ok = False
            elif code in existing and existing[code].level != level:
                bad(
                    _("Code %(code)s already exists as a %(level)s.")
                    % {"code": code, "level": existing[code].get_level_display()}
                )
                row_ok = False
        if not row_ok:
            continue
        methods, unknown_methods = parse_methods(values["method"])
        if unknown_methods:
            bad(
                _("Unknown method “%(value)s”: use 实地考察, 问卷调查, 材料审核, 网络调查, 听取汇报 or 整体观察.")
                % {"value": "、".join(unknown_methods)}
            )
            continue
        methods = methods or [Method.FIELD]
        score = None
        if values["score"]:
            try:
                score = Decimal(values["score"])
            except InvalidOperation:
                bad(_("The points “%(value)s” are not a number.") % {"value": values["score"]})
                continue
            if not score.is_finite() or score < 0 or score >= 10000:
                bad(_("The points must be between 0 and 9999."))
                continue
        site_types = []
        unknown = []
        for name in split_list(values["site_types"]):
            st = type_lookup.get(name) or type_lookup.get(name.lower())
            (site_types.append(st) if st else unknown.append(name))
        if unknown:
            bad(_("Unknown site types: %(names)s.") % {"names": "、".join(unknown)})
            continue
        if pc in projects and projects[pc]["text"] != values["project"]:
            bad(_("Project %(code)s has a different name on an earlier row.") % {"code": pc})
            continue
        if cc in contents and (contents[cc]["text"] != values["content"] or contents[cc]["parent"] != pc):
            bad(_("Content %(code)s has a different name or project on an earlier row.") % {"code": cc})
            continue
        if sc in standards:
            bad(
                _("Standard %(code)s appears twice (first on row %(row)s).") % {"code": sc, "row": standards[sc]["row"]}
            )
            continue
        projects.setdefault(pc, {"text": values["project"], "parent": None, "order": len(projects) + 1})
        contents.setdefault(cc, {"text": values["content"], "parent": pc, "order": len(contents) + 1})
        standards[sc] = {
            "text": values["standard"],
            "parent": cc,
            "order": len(standards) + 1,
            "row": number,
            "methods": methods,
            "score": score,
            "site_types": site_types,
        }
    if result.errors:
        return result

    with transaction.atomic():
        saved = {}
        levels = (
            (EvaluationItem.Level.PROJECT, projects),
            (EvaluationItem.Level.CONTENT, contents),
            (EvaluationItem.Level.STANDARD, standards),
        )
        locked = {i.code: i for i in EvaluationItem.objects.select_for_update().filter(code__in=existing.keys())}
        for level, items in levels:
            to_create, to_update = [], []
            for code, data in items.items():
                parent = saved[data["parent"]] if data["parent"] else None
                fields = {
                    "level": level,
                    "parent": parent,
                    "text": data["text"],
                    "sort_order": data["order"],
                    "max_score": data.get("score"),
                }
                if code in locked:
                    item = locked[code]
                    for name, value in fields.items():
                        setattr(item, name, value)
                    to_update.append(item)
                else:
                    item = EvaluationItem(code=code, **fields)
                    to_create.append(item)
                saved[code] = item
            bulk_create_with_history(to_create, EvaluationItem, default_user=actor)
            bulk_update_with_history(
                to_update, EvaluationItem, ["parent", "text", "sort_order", "max_score"], default_user=actor
            )
            result.created += len(to_create)
            result.updated += len(to_update)
        standard_ids = [saved[code].pk for code in standards]
        StandardMethod.objects.filter(standard_id__in=standard_ids).delete()
        StandardMethod.objects.bulk_create(
            [
                StandardMethod(standard_id=saved[code].pk, method=method)
                for code, data in standards.items()
                for method in data["methods"]
            ]
        )
        through = SiteType.standards.through
        through.objects.filter(evaluationitem_id__in=standard_ids).delete()
        through.objects.bulk_create(
            [
                through(sitetype_id=st.pk, evaluationitem_id=saved[code].pk)
                for code, data in standards.items()
                for st in {s.pk: s for s in data["site_types"]}.values()
            ]
        )
    result.details = {"projects": len(projects), "contents": len(contents), "standards": len(standards)}
    return result


def evaluation_sample_workbook() -> bytes:
    """The illustrative sample as an .xlsx: the format offices fill in, and what `evaluation_load_sample`
    imports."""
    from core.xlsx import xlsx_bytes

    from .data.evaluation_sample import HEADERS, ROWS

    return xlsx_bytes(headers=HEADERS, rows=ROWS, sheet_title="测评体系")


def evaluation_load_sample(*, actor) -> ImportResult:
    """Load the sample shipped with the app through the same import as an office's file."""
    return evaluation_import(actor=actor, file=BytesIO(evaluation_sample_workbook()))
