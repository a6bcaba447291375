"""Every source notebook runs cleanly; every release notebook runs, and its stubs fail as they should."""

import functools

import nbformat
from nbclient import NotebookClient

from conftest import ROOT


@functools.cache
def execute(kind, lesson, allow_errors):
    """Run a notebook once per test session (several tests read the same run)."""
    nb = nbformat.read(ROOT / kind / lesson / f"{lesson}.ipynb", as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(ROOT / kind / lesson)}},
    ).execute()
    return nb


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def stderr(cell):
    return [o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"]


def test_source_runs_top_to_bottom_without_errors_or_warnings(lesson):
    nb = execute("source", lesson, allow_errors=False)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not stderr(cell), (cell.source[:80], stderr(cell))


def test_source_hidden_tests_award_full_points(lesson):
    nb = execute("source", lesson, allow_errors=False)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            [result] = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert float(result["data"]["text/plain"]) == meta["points"], cell.source


def test_release_stubs_fail_their_visible_tests(lesson):
    nb = execute("release", lesson, allow_errors=True)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if meta.get("solution") or grade_id.startswith("given_") or meta.get("grade"):
            assert not errors(cell), (grade_id, errors(cell))  # definitions and hidden-test stubs run
        if grade_id.startswith("examples_"):
            [error] = errors(cell)
            assert error.ename == "NotImplementedError", (grade_id, error.ename)
