"""nbgrader end to end, on the bundled samples, in a scratch course:
generate_assignment → autograde → generate_feedback → export, with the expected scores."""

import pytest

from autograder import nbgrader_course as course
from conftest import LESSONS, ROOT

# Ben's one mistake per lesson costs exactly the checks that catch it (see autograder/samples.py).
BEN = {
    "01-functions": 5,  # total() of nothing raises IndexError: loses the edge-case check
    "02-numeric-diff": 1,  # a 1e-12 forward step: right only for the mildest polynomials
    "03-partial-derivatives": 3,  # `args[idx] += delta` changes the caller's array
    "04-chain-rule": 0,  # takes outer'(x) instead of outer'(inner(x))
    "05-gradient-descent": 3,  # sequential updates: error is right, grad_fit is not
    "06-backprop": 7,  # w21 updated before dE/dh: train_backprop's four checks fail
}
FULL = {
    "01-functions": 6,
    "02-numeric-diff": 3,
    "03-partial-derivatives": 4,
    "04-chain-rule": 3,
    "05-gradient-descent": 7,
    "06-backprop": 11,
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("nbgrader-course")
    course.make_course(root, LESSONS)
    for lesson in LESSONS:
        course.generate(root, lesson)
        for learner in ("ada", "ben", "cy"):
            course.submit(
                root, learner, lesson, ROOT / "samples/submitted" / learner / lesson / f"{lesson}.ipynb"
            )
        course.autograde(root, lesson)
        course.feedback(root, lesson)
    rows = course.export(root)
    return root, {
        (r["student_id"], r["assignment"]): (float(r["score"]), float(r["max_score"])) for r in rows
    }


@pytest.mark.parametrize("lesson", LESSONS)
def test_scores(graded, lesson):
    _, scores = graded
    assert scores[("ada", lesson)] == (FULL[lesson], FULL[lesson])
    assert scores[("ben", lesson)] == (BEN[lesson], FULL[lesson])
    assert scores[("cy", lesson)] == (0, FULL[lesson])


def test_feedback_pages_exist_and_explain_failures(graded):
    root, _ = graded
    page = (root / "feedback/ben/03-partial-derivatives/03-partial-derivatives.html").read_text()
    assert "changed the caller" in page


def test_autograder_agrees_with_nbgrader_on_the_samples(graded):
    """For honest submissions the sandboxed autograder and `nbgrader autograde` give the same scores."""
    from autograder.grade import expand, grade_batch
    from autograder.runner import Limits

    _, scores = graded
    tasks = [(lesson, path) for lesson in LESSONS for path in expand([ROOT / "samples/submitted"], lesson)]
    rows = grade_batch(tasks, Limits(), jobs=2)
    ours = {(r["learner"], r["lesson"]): (r["score"], r["max_score"]) for r in rows}
    assert ours == scores
