"""`make demo`: grade the bundled sample submissions of every lesson with the sandboxed autograder.

Shows progress, prints the grade table, and writes demo/grades.csv (nbgrader's export columns) and one
HTML feedback page per learner and lesson. `python -m autograder.demo --nbgrader` grades the same samples
with `nbgrader autograde` in a scratch course instead, for comparison.
"""

import argparse
import os
import sys

from tqdm import tqdm

from solutions import LESSON_MODULES

from . import ROOT, feedback, report
from . import nbgrader_course as course
from .grade import expand, grade_batch
from .samples import LEARNERS
from .sandbox import Limits

DEMO = ROOT / "demo"
SAMPLES = ROOT / "samples" / "submitted"


def grade_table(rows):
    """Learners down, lessons across, 'score/max' in each cell, from rows in nbgrader's export columns."""
    lessons = sorted({r["assignment"] for r in rows})
    learners = sorted({r["student_id"] for r in rows})
    cell = {
        (r["student_id"], r["assignment"]): f"{float(r['score']):g}/{float(r['max_score']):g}" for r in rows
    }
    width = max(len(lesson) for lesson in lessons)
    lines = ["learner  " + "  ".join(f"{lesson:>{width}}" for lesson in lessons)]
    for learner in learners:
        scores = (cell.get((learner, lesson), "-") for lesson in lessons)
        lines.append(f"{learner:<8} " + "  ".join(f"{score:>{width}}" for score in scores))
    return "\n".join(lines)


def with_autograder():
    tasks = [(lesson, path) for lesson in LESSON_MODULES for path in expand([SAMPLES], lesson)]
    rows = grade_batch(tasks, Limits(), jobs=os.cpu_count() or 2, want_plots=True)
    print(grade_table(list(report.csv_rows(rows))))
    report.write_csv(rows, DEMO / "grades.csv")
    for lesson in LESSON_MODULES:
        feedback.write_pages([r for r in rows if r["lesson"] == lesson], DEMO / "feedback" / lesson)
    print("\nwrote demo/grades.csv and demo/feedback/<lesson>/<learner>.html")


def with_nbgrader():
    scratch = DEMO / "nbgrader-course"
    course.make_course(scratch, LESSON_MODULES)
    for lesson in tqdm(LESSON_MODULES, desc="nbgrader generate + autograde", unit="lesson"):
        course.generate(scratch, lesson)
        for learner in LEARNERS:
            course.submit(scratch, learner, lesson, SAMPLES / learner / lesson / f"{lesson}.ipynb")
        course.autograde(scratch, lesson)
    print(grade_table(course.export(scratch)))
    print(f"\nnbgrader's course folder, gradebook and grades.csv: {scratch.relative_to(ROOT)}/")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--nbgrader", action="store_true", help="grade with nbgrader autograde instead")
    args = parser.parse_args(argv)
    DEMO.mkdir(exist_ok=True)
    with_nbgrader() if args.nbgrader else with_autograder()
    return 0


if __name__ == "__main__":
    sys.exit(main())
