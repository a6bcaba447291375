"""The hidden checks themselves: full marks for the reference, nothing for the stubs, and less than full
marks for every catalogued mistake (run in-process here for speed; tests/test_catalogue.py runs the same
table through the real `python -m autograder grade`)."""

import pytest

from autograder import checks
from autograder.grading import run_checks
from autograder.learner import Learner, LocalBackend
from autograder.submission import notebook_cells
from catalogue import ROWS, phrases, submission
from conftest import ROOT, reference


def score(lesson, namespace, function=None):
    selected = [c for c in checks.load(lesson) if function in (None, c.function)]
    results = run_checks(selected, Learner(LocalBackend(namespace)))
    return sum(r.score for r in results), sum(r.max_score for r in results), results


def test_reference_gets_full_marks(lesson):
    got, total, results = score(lesson, dict(vars(reference(lesson))))
    assert total > 0
    assert got == total, [r.message for r in results if r.message]


def test_stubs_get_zero(lesson):
    namespace = {}
    for cell in notebook_cells((ROOT / "release" / lesson / f"{lesson}.ipynb").read_text()):
        try:
            exec(cell, namespace)  # noqa: S102 - our own release notebook
        except Exception:  # noqa: BLE001, S110 - visible tests fail on stubs, as they should
            pass
    got, total, results = score(lesson, namespace)
    assert got == 0
    assert all("NotImplementedError" in r.message for r in results)


def test_every_function_has_checks_worth_points(lesson):
    points = checks.points_by_function(lesson)
    assert points and all(p > 0 for p in points.values())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # mistakes that move uphill overflow, by design
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.function}-{r.kind}-{r.label}")
def test_catalogue_row(row):
    namespace = {"__name__": "__main__"}  # as in a notebook: the reference and the row in one namespace
    exec(submission(row), namespace)  # noqa: S102 - the catalogue's own code
    got, total, results = score(row.lesson, namespace, row.function)
    if row.kind == "correct":
        assert got == total, [r.message for r in results if r.message]
    else:
        assert got < total, f"{row.label} earned full marks"
        feedback = "\n".join(r.message for r in results)
        assert "Likely mistake:" in feedback and any(p in feedback for p in phrases(row)), feedback
