"""The catalogue through the real grading path (`python -m autograder grade`): every correct style earns
full credit, every mistake loses credit and is named in its feedback."""

import pytest

from autograder import checks
from catalogue import ROWS, grade_all, report, verdict
from solutions import LESSON_MODULES


@pytest.fixture(scope="module")
def graded():
    return grade_all()


def test_every_row_was_graded(graded):
    assert len(graded) == len(ROWS)


@pytest.mark.parametrize("index", range(len(ROWS)), ids=[f"{r.function}-{r.kind}-{r.label}" for r in ROWS])
def test_row(graded, index):
    row, result = next((r, res) for r, res in graded if r is ROWS[index])
    ok, named = verdict(row, result)
    messages = [t["message"] for t in result["tests"] if t["function"] == row.function]
    assert ok, messages
    if row.kind == "mistake":
        assert named, messages


def test_report_is_100_percent(graded):
    text, perfect = report(graded)
    assert perfect, text


def test_catalogue_is_big_enough():
    """Every graded function: at least 3 correct styles; at least 5 mistakes, or 2 for one-line functions."""
    one_liners = {"sq", "add", "neuron", "forward_nn", "error_nn"}
    graded = [f for lesson in LESSON_MODULES for f in checks.points_by_function(lesson)]
    assert {r.function for r in ROWS} == set(graded)
    for function in graded:
        kinds = [r.kind for r in ROWS if r.function == function]
        assert kinds.count("correct") >= 3, function
        assert kinds.count("mistake") >= (2 if function in one_liners else 5), function
