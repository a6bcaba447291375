"""Demo cells (issue 13, part 2): skipping them while grading is faster and changes no grade."""

import nbformat
import pytest

from autograder import demo_cells
from autograder.grade import grade_one
from autograder.sandbox import Worker, sandbox_available
from conftest import LESSONS, ROOT


def code_cells(lesson, kind="source"):
    nb = nbformat.read(ROOT / kind / lesson / f"{lesson}.ipynb", as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_demo_tags_are_safe_to_skip_together(lesson):
    cells = code_cells(lesson)
    sources = [c.source for c in cells]
    demos = {i for i, c in enumerate(cells) if demo_cells.TAG in c.metadata.get("tags", [])}
    for i in demos:
        assert not cells[i].metadata.get("nbgrader", {}).get("grade_id"), "graded and given cells always run"
        used = demo_cells.used_later(sources, i, demos)
        assert not used, f"{lesson}: a demo cell binds {sorted(used)}, which a cell that always runs reads"


def test_used_later_sees_reads_after_rebinding_and_inside_functions():
    cells = [
        "a = 1\nb = 2",
        "a = 5\nprint(a)",
        "def f(x):\n    return b + x",
        "for b in range(3):\n    print(b)",
    ]
    assert demo_cells.used_later(cells, 0) == {"b"}  # a is rebound before it is read; b is read in f
    assert demo_cells.used_later(cells, 0, demos={2}) == set()  # skipped with it
    assert demo_cells.names_bound("x[0] = 1\nimport numpy.linalg\nclass C: pass") == {"x", "numpy", "C"}


@pytest.fixture(scope="module")
def worker():
    if not sandbox_available():
        pytest.skip("bubblewrap is missing or broken here")
    with Worker() as w:
        yield w


def graded(worker, lesson, path, run_demos):
    row = grade_one(worker, lesson, path, run_demos=run_demos)
    return row["score"], [(t["name"], t["status"], t["message"]) for t in row["tests"]]


@pytest.mark.parametrize("lesson", LESSONS)
def test_skipping_demos_changes_no_grade_on_the_samples(worker, lesson):
    assert demo_cells.released(lesson), f"{lesson} tags no demo cell"
    for learner in ("ada", "ben", "cy"):
        path = ROOT / "samples" / "submitted" / learner / lesson / f"{lesson}.ipynb"
        assert graded(worker, lesson, path, False) == graded(worker, lesson, path, True), learner


def test_a_name_only_a_demo_cell_defines_makes_the_grader_run_every_cell(worker, tmp_path):
    """A learner cell that needs a demo cell's name: skipping raises NameError, so the grader runs it all."""
    lesson = "06-backprop"
    nb = nbformat.read(ROOT / "samples/submitted/ada" / lesson / f"{lesson}.ipynb", as_version=4)
    skipped = demo_cells.released(lesson)
    demo = next(c for c in nb.cells if c.source in skipped and "def rel_error" in c.source)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "neuron")
    answer.source = "def neuron(w1, w2, x):\n    return w2 * x + w1  # wrong until the cell below fixes it\n"
    fix = "if rel_error:  # a name from the demo cell above\n"
    fix += "    def neuron(w1, w2, x):\n        return w1 * x + w2\n"
    nb.cells.insert(nb.cells.index(demo) + 1, nbformat.v4.new_code_cell(fix))
    path = tmp_path / f"{lesson}.ipynb"
    nbformat.write(nb, path)
    fast = graded(worker, lesson, path, run_demos=False)
    assert fast == graded(worker, lesson, path, run_demos=True)
    assert fast[0] == 15  # the fix ran: every cell ran
