"""One source of truth: generated cells, release notebooks and samples must match what they come from."""

import copy
import inspect
import re
import shutil
import textwrap

import nbformat
import pytest

from autograder import assign, checks, samples
from conftest import LESSONS, ROOT, notebook, reference


def test_source_notebooks_are_filled(lesson):
    """`python -m autograder assign` would change nothing: answers, tests, points are up to date."""
    nb = notebook("source", lesson)
    filled = copy.deepcopy(nb)
    assign.fill(filled, lesson)
    assert [c.source for c in filled.cells] == [c.source for c in nb.cells], "run `make release`"
    assert [c.metadata for c in filled.cells] == [c.metadata for c in nb.cells], "run `make release`"


def test_answer_cells_are_the_reference_solutions(lesson):
    """Each answer cell, without its solution markers, is exactly its function's code in solutions/."""
    module = reference(lesson)
    for cell in notebook("source", lesson).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [
                line for line in cell.source.split("\n") if line.strip() not in (assign.BEGIN, assign.END)
            ]
            function = getattr(module, meta["grade_id"])
            assert "\n".join(lines) == textwrap.dedent(inspect.getsource(function)).rstrip("\n")


def test_points_agree_everywhere(lesson):
    """Test-cell points, the header table and the checks' points are the same numbers."""
    points = checks.points_by_function(lesson)
    for kind in ("source", "release"):
        cells = notebook(kind, lesson).cells
        cell_points = {
            c.metadata["nbgrader"]["grade_id"].removeprefix("test_"): c.metadata["nbgrader"]["points"]
            for c in cells
            if c.metadata.get("nbgrader", {}).get("grade")
        }
        assert cell_points == points
        header = next(c.source for c in cells if "points" in c.metadata.get("tags", []))
        for function, value in points.items():
            assert re.search(rf"\| `{function}` \| {value:g} \|", header)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """A release generated afresh from source/ by nbgrader, in a scratch course."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    assign.generate_release(course)
    return course


def test_release_is_in_sync_with_source(regenerated, lesson):
    fresh = nbformat.read(regenerated / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    committed = notebook("release", lesson)
    assert [(c.cell_type, c.source, c.metadata) for c in fresh.cells] == [
        (c.cell_type, c.source, c.metadata) for c in committed.cells
    ], "release/ is stale: run `make release`"


def test_release_hides_solutions_and_hidden_tests(lesson):
    text = (ROOT / "release" / lesson / f"{lesson}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "grade_function", "solutions"):
        assert marker not in text


def test_release_test_cells_run_the_visible_examples(lesson):
    """nbgrader's pattern: the graded cell holds the examples, so validate fails when one fails."""
    cells = notebook("release", lesson).cells
    for function in checks.points_by_function(lesson):
        [cell] = [c for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"test_{function}"]
        assert f'with examples("{function}") as ex:' in cell.source


def test_every_notebook_carries_the_examples_helper_read_only_and_collapsed(lesson):
    for kind in ("source", "release"):
        [cell] = [
            c
            for c in notebook(kind, lesson).cells
            if c.metadata.get("nbgrader", {}).get("grade_id") == "helpers"
        ]
        assert cell.source == assign.helpers_cell()
        assert cell.metadata["nbgrader"]["locked"] and cell.metadata["jupyter"]["source_hidden"]


def test_samples_are_in_sync_with_release():
    for lesson in LESSONS:
        release = notebook("release", lesson)
        for learner in samples.LEARNERS:
            built = samples.sample(release, lesson, learner)
            committed = notebook(f"samples/submitted/{learner}", lesson)
            assert [c.source for c in built.cells] == [c.source for c in committed.cells], (
                "samples are stale: run `make release`"
            )
