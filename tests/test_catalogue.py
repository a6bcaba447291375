"""The catalogue through the real grading path (`python -m autograder grade`): every correct style earns
full credit, every mistake loses credit and is named in its feedback, and no row gets a wrong hint."""

import pytest

from autograder import checks
from catalogue import ROWS, grade_all, likely_lines, report, verdict
from solutions import LESSON_MODULES


@pytest.fixture(scope="module")
def graded():
    return grade_all()


def test_every_row_was_graded(graded):
    assert len(graded) == len(ROWS)


@pytest.mark.parametrize("index", range(len(ROWS)), ids=[f"{r.function}-{r.kind}-{r.label}" for r in ROWS])
def test_row(graded, index):
    row, result = next((r, res) for r, res in graded if r is ROWS[index])
    passed, named, wrong_hints = verdict(row, result)
    messages = [t["message"] for t in result["tests"] if t["function"] == row.function]
    assert passed, messages
    if row.kind == "mistake":
        assert named, messages
    assert wrong_hints == 0, (row.diagnosis, likely_lines(result))


def test_report_is_100_percent_with_no_wrong_hints(graded):
    text, perfect = report(graded)
    assert perfect, text
    assert text.splitlines()[0].split()[-2:] == ["wrong", "hints"], text


def test_catalogue_is_big_enough():
    """Every graded function: at least 3 correct styles; at least 5 mistakes, or 2 for one-line functions."""
    one_liners = {"sq", "add", "neuron", "forward_nn", "error_nn"}
    graded = [f for lesson in LESSON_MODULES for f in checks.points_by_function(lesson)]
    assert {r.function for r in ROWS} == set(graded)
    for function in graded:
        kinds = [r.kind for r in ROWS if r.function == function]
        assert kinds.count("correct") >= 3, function
        assert kinds.count("mistake") >= (2 if function in one_liners else 5), function
