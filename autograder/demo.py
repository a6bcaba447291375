"""`make demo`: grade the bundled sample submissions of every lesson with nbgrader, in a scratch course.

Generates the release, runs `nbgrader autograde` on a correct, a partly wrong and an untouched submission
per lesson, exports the grades and prints them as a table.
"""

import sys
from pathlib import Path

from tqdm import tqdm

from solutions import LESSON_MODULES

from . import ROOT
from . import nbgrader_course as course
from .samples import LEARNERS

DEMO = ROOT / "demo"


def grade_table(rows):
    """Learners down, lessons across, 'score/max' in each cell, from nbgrader's grades.csv rows."""
    lessons = sorted({r["assignment"] for r in rows})
    learners = sorted({r["student_id"] for r in rows})
    cell = {
        (r["student_id"], r["assignment"]): f"{float(r['score']):g}/{float(r['max_score']):g}" for r in rows
    }
    width = max(len(lesson) for lesson in lessons)
    lines = ["learner  " + "  ".join(f"{lesson:>{width}}" for lesson in lessons)]
    for learner in learners:
        lines.append(
            f"{learner:<8} " + "  ".join(f"{cell.get((learner, le), '-'):>{width}}" for le in lessons)
        )
    return "\n".join(lines)


def main():
    scratch = DEMO / "nbgrader-course"
    course.make_course(scratch, LESSON_MODULES)
    for lesson in tqdm(LESSON_MODULES, desc="nbgrader generate + autograde", unit="lesson"):
        course.generate(scratch, lesson)
        for learner in LEARNERS:
            course.submit(
                scratch,
                learner,
                lesson,
                ROOT / "samples" / "submitted" / learner / lesson / f"{lesson}.ipynb",
            )
        course.autograde(scratch, lesson)
    rows = course.export(scratch)
    print(grade_table(rows))
    print(f"\nnbgrader's course folder, gradebook and grades.csv: {Path(scratch).relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
