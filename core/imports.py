"""Reading an office's .xlsx ledger for an import: the sheet's columns by their Chinese or English headers, and
the row errors an import answers. Every import validates the whole sheet first and writes nothing unless every
row is clean (sites, the evaluation system, the responsibility list …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# The separators offices use inside one cell for a list (、 , ， ; ； / or a line break).
LIST_SPLIT = re.compile(r"[、,，;；/\n]+")


@dataclass
class RowError:
    row: int | None  # None: the file as a whole
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header offices use in their ledgers (Chinese)
    label: object  # English, translated: accepted as a header too, and used by exports
    required: bool = False


def header_aliases(columns: list[Column]) -> dict[str, str]:
    from django.utils import translation

    aliases = {}
    for column in columns:
        with translation.override("en"):
            english = str(column.label)
        for alias in (column.header, english, str(column.label)):
            aliases[alias.strip().lower()] = column.key
    return aliases


def read_sheet(file, columns: list[Column]) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Rows as (row number, {column key: value}); a file-level error list when the sheet cannot be used."""
    from core.xlsx import read_rows

    aliases = header_aliases(columns)
    try:
        raw = list(read_rows(file, expected_headers=[]))
    except ValueError:
        return [], [RowError(None, _("The file is not an Excel workbook (.xlsx)."))]
    if not raw:
        return [], [RowError(None, _("The sheet has no data rows."))]
    present = {aliases.get(str(h).strip().lower()) for h in raw[0][1].keys()}
    missing = [c.header for c in columns if c.required and c.key not in present]
    if missing:
        return [], [RowError(None, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})]
    rows = []
    for number, values in raw:
        row = {}
        for header, value in values.items():
            key = aliases.get(str(header).strip().lower())
            if key:
                row[key] = "" if value is None else (value.strip() if isinstance(value, str) else value)
        rows.append((number, row))
    return rows, []


def cell_text(value) -> str:
    """A cell as text (a whole float such as 3.0 as "3")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def split_list(value) -> list[str]:
    """A cell holding a list ("实地考察、材料审核") as its non-empty items."""
    return [part.strip() for part in LIST_SPLIT.split(cell_text(value)) if part.strip()]
