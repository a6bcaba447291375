"""`python -m autograder check NOTEBOOK`: check your own notebook, with hints, before you submit.

Runs the same hidden checks as the graders, in the same sandboxed worker, and says what went wrong and
where to look, never what the expected values are.
"""

import sys
from pathlib import Path

from solutions import LESSON_MODULES

from . import checks
from .grade import grade_one
from .report import format_results
from .sandbox import Limits, Worker


def guess_lesson(path):
    """The lesson a notebook belongs to, from its name or its folder's name."""
    path = Path(path)
    for name in (path.stem, path.parent.name, path.name):
        if name in LESSON_MODULES:
            return name
    raise SystemExit(
        f"cannot tell which lesson {path} is; pass --lesson (one of {', '.join(LESSON_MODULES)})"
    )


def main(args):
    if not Path(args.notebook).exists():
        print(f"error: {args.notebook} does not exist", file=sys.stderr)
        return 2
    lesson = checks.lesson_name(args.lesson) if args.lesson else guess_lesson(args.notebook)
    with Worker(Limits(timeout=args.timeout)) as worker:
        row = grade_one(worker, lesson, Path(args.notebook))
    if row["error"]:
        print(f"Could not check {args.notebook}: {row['error']}\n")
    print(format_results(row["tests"]))
    for note in row["notes"]:
        print(f"Note: {note}")
    return 0 if row["score"] == row["max_score"] else 1


def add_arguments(parser):
    parser.add_argument("notebook", help="your notebook (.ipynb) or .py file")
    parser.add_argument("--lesson", help="the lesson, if the file name does not say (e.g. 06-backprop)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before giving up (default 60)")
