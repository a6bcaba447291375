"""nbgrader end to end, on the bundled samples, in a scratch course:
generate_assignment → autograde → generate_feedback → export, with the expected scores."""

import nbformat
import pytest

from autograder import checks
from autograder import nbgrader_course as course
from autograder.nbgrader_cell import WIDTH
from conftest import LESSONS, ROOT

# Points come from the checks, which change; what must hold is the shape of the scores and the agreement.
FULL = {lesson: sum(checks.points_by_function(lesson).values()) for lesson in LESSONS}


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
    """ada is right everywhere, cy submits the untouched release, ben makes one mistake per lesson."""
    _, scores = graded
    assert scores[("ada", lesson)] == (FULL[lesson], FULL[lesson])
    assert scores[("ben", lesson)][0] < FULL[lesson]
    assert scores[("cy", lesson)] == (0, FULL[lesson])


def test_a_failing_visible_example_keeps_the_hidden_partial_credit(graded):
    """ben's lesson-2 diff fails a visible example but passes a hidden check: nbgrader must not zero the cell
    (it zeroes a cell that raises), and the page says both the example's line and the points in words."""
    root, scores = graded
    assert 0 < scores[("ben", "02-numeric-diff")][0] < FULL["02-numeric-diff"]
    page = (root / "feedback/ben/02-numeric-diff/02-numeric-diff.html").read_text()
    assert "diff(cube, 3) should be within" in page
    assert f"{scores[('ben', '02-numeric-diff')][0]:g} of 3 points" in page


def test_graded_cells_print_wrapped_reports_and_points_in_words(graded):
    root, _ = graded
    for lesson in LESSONS:
        nb = nbformat.read(root / "autograded/ben" / lesson / f"{lesson}.ipynb", as_version=4)
        for cell in nb.cells:
            if not cell.metadata.get("nbgrader", {}).get("grade"):
                continue
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert all(len(line) <= WIDTH for line in text.splitlines()), text
            values = [o for o in cell.outputs if o.output_type == "execute_result"]
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert len(values) + len(errors) == 1  # points (partial credit), or an error output for 0
            if values:
                assert "point" in values[0]["data"]["text/html"]
            else:
                assert all(len(line) <= WIDTH for line in errors[0]["traceback"])
                assert "Score: 0/" in errors[0]["traceback"][-1]


def test_feedback_pages_exist_and_explain_failures(graded):
    root, _ = graded
    page = (root / "feedback/ben/03-partial-derivatives/03-partial-derivatives.html").read_text()
    assert "changed the caller" in page


def test_autograder_agrees_with_nbgrader_on_the_samples(graded):
    """For honest submissions the sandboxed autograder and `nbgrader autograde` give the same scores."""
    from autograder.grade import expand, grade_batch
    from autograder.sandbox import Limits

    _, scores = graded
    tasks = [(lesson, path) for lesson in LESSONS for path in expand([ROOT / "samples/submitted"], lesson)]
    rows = grade_batch(tasks, Limits(), jobs=2)
    ours = {(r["learner"], r["lesson"]): (r["score"], r["max_score"]) for r in rows}
    assert ours == scores
