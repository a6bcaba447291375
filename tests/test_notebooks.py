"""Every source notebook runs cleanly; every release notebook runs top to bottom showing only calm one-line
failures; a solved release notebook shows the same success line in every graded cell."""

import functools
import re

import nbformat
from nbclient import NotebookClient

from autograder import checks
from autograder.notebook_helpers import ALL_PASSED
from conftest import ROOT

NOT_WRITTEN = re.compile(
    r"^`(\w+)` is not written yet: replace `raise NotImplementedError\(\)` with your code\.$"
)


@functools.cache
def execute(path, allow_errors):
    """Run a notebook once per test session (several tests read the same run)."""
    path = ROOT / path
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return nb


def notebook_path(kind, lesson):
    return f"{kind}/{lesson}/{lesson}.ipynb"


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def stderr(cell):
    return [o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"]


def stdout(cell):
    return "".join(
        o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stdout"
    )


def graded(cell):
    return cell.metadata.get("nbgrader", {}).get("grade", False)


def test_source_runs_top_to_bottom_without_errors_or_warnings(lesson):
    nb = execute(notebook_path("source", lesson), allow_errors=False)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not stderr(cell), (cell.source[:80], stderr(cell))


def test_source_hidden_tests_award_full_points_in_words_and_numbers(lesson):
    """nbgrader parses text/plain as the points; people read the HTML, e.g. "3 of 3 points"."""
    nb = execute(notebook_path("source", lesson), allow_errors=False)
    for cell in filter(graded, nb.cells):
        points = cell.metadata["nbgrader"]["points"]
        [result] = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert float(result["data"]["text/plain"]) == points, cell.source
        assert f"{points:g} of {points:g} point" in result["data"]["text/html"]
        assert ALL_PASSED in stdout(cell)


def test_untouched_release_shows_one_calm_line_per_failure_and_no_traceback(lesson):
    nb = execute(notebook_path("release", lesson), allow_errors=True)
    named = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not stderr(cell), (cell.source[:80], stderr(cell))
        for error in errors(cell):
            assert error.ename == "ExampleFailed", (cell.source[:80], error.ename, error.traceback)
            assert len(error.traceback) == 1 and "\n" not in error.traceback[0], error.traceback
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") or meta.get("grade_id", "").startswith("given_") or meta.get("locked"):
            if not graded(cell):
                assert not errors(cell), (meta.get("grade_id"), errors(cell))  # definitions run
        if graded(cell):
            [error] = errors(cell)
            match = NOT_WRITTEN.match(error.traceback[0])
            assert match, error.traceback[0]
            named.append(match[1])
            assert ALL_PASSED not in stdout(cell)
    assert named == list(checks.points_by_function(lesson)), "every graded cell names its own function"


def test_given_cells_that_use_a_stub_stop_calmly(lesson):
    """Cells after an exercise say which function they wait for, instead of crashing inside a stub."""
    nb = execute(notebook_path("release", lesson), allow_errors=True)
    waiting = [e.traceback[0] for c in nb.cells if c.cell_type == "code" and not graded(c) for e in errors(c)]
    assert waiting, "every lesson has worked examples that use the learner's functions"
    assert all(line.startswith("This cell uses `") for line in waiting), waiting


def test_solved_release_says_all_examples_passed_everywhere(lesson):
    """ada's sample is the release with the reference answers: no error anywhere, one success line."""
    nb = execute(notebook_path("samples/submitted/ada", lesson), allow_errors=False)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not stderr(cell), (cell.source[:80], stderr(cell))
        if graded(cell):
            assert stdout(cell).strip() == ALL_PASSED, stdout(cell)
            assert not [o for o in cell.outputs if o.output_type == "execute_result"]
