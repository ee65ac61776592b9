"""reports imports one way: dashboards -> figures -> selectors (the dashboards once lived in selectors and called
figures, which called selectors)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_reports_selectors_and_figures_do_not_import_each_other():
    selectors = imported_modules(ROOT / "reports" / "selectors.py")
    figures = imported_modules(ROOT / "reports" / "figures.py")
    assert not {"reports.figures", "reports.dashboards", "reports.charts"} & selectors
    assert "reports.dashboards" not in figures
    assert "reports.selectors" in figures
