def pytest_terminal_summary(terminalreporter):
    """The matrix prints how many checks it made (issue 10: the matrix size goes in the note)."""
    import sys

    matrix = sys.modules.get("tests.scope.test_matrix")
    if matrix is not None and matrix.CHECKS["n"]:
        terminalreporter.write_line(
            f"scope matrix: {matrix.CHECKS['n']} checks ({matrix.CHECKS['failed']} failed) over "
            f"{len(list(matrix.REGISTRY))} registered models x {len(matrix.ROLES)} roles x their surfaces"
        )
