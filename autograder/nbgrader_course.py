"""Drive nbgrader's own command line on a scratch copy of the course (for the demo, tests and benchmark).

Every step is the real `nbgrader` CLI an instructor would type, run in a temporary course directory so the
repository's gradebook and folders are never touched.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import ROOT

NBGRADER = [sys.executable, "-m", "nbgrader"]


# nbgrader as shipped: learner code runs in a kernel beside the hidden tests (Execute). For comparisons.
STOCK_CONFIG = """import os
c = get_config()
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "backprop-from-scratch"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
c.Execute.timeout = 60
"""


def make_course(dest, lessons, root=ROOT, stock=False):
    """Copy nbgrader_config.py and the lessons' source notebooks into a fresh course folder `dest`.
    With `stock`, the course uses nbgrader's own Execute step instead of SandboxedExecute."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if stock:
        (dest / "nbgrader_config.py").write_text(STOCK_CONFIG)
    else:
        shutil.copy(Path(root) / "nbgrader_config.py", dest / "nbgrader_config.py")
    for lesson in lessons:
        shutil.copytree(Path(root) / "source" / lesson, dest / "source" / lesson, dirs_exist_ok=True)
    return dest


def submit(course, learner, lesson, notebook):
    """Place a notebook where nbgrader expects a learner's submission."""
    target = Path(course) / "submitted" / learner / lesson / f"{lesson}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, target)
    return target


def nbgrader(course, *args, check=True):
    """Run one nbgrader command in `course`; raise with its log if it fails (and `check`)."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True, env=env)
    if check and done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def generate(course, lesson):
    nbgrader(course, "generate_assignment", lesson, "--force")


def autograde(course, lesson, check=True):
    """nbgrader exits non-zero when any submission could not be graded; `check=False` tolerates that."""
    nbgrader(course, "autograde", lesson, "--force", check=check)


def feedback(course, lesson):
    nbgrader(course, "generate_feedback", lesson, "--force")


def export(course):
    """`nbgrader export` → rows of grades.csv as dicts."""
    nbgrader(course, "export")
    with open(Path(course) / "grades.csv", newline="") as f:
        return list(csv.DictReader(f))
