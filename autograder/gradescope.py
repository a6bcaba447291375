"""`python -m autograder gradescope LESSON -o FILE.zip`: build a Gradescope autograder zip for one lesson.

The zip holds `setup.sh` (installs Python packages and bubblewrap on Gradescope's image), `run_autograder`
(grades /autograder/submission and writes /autograder/results/results.json per Gradescope's spec), the
`autograder` and `solutions` packages, and the lesson's release notebook (which names its demo cells).
Set BACKPROP_GRADESCOPE_ROOT to run it against another folder.
"""

import json
import os
import sys
import zipfile
from pathlib import Path

from . import ROOT, checks
from .grade import grade_one
from .grading import not_run
from .report import finish, format_results
from .report import row as empty_row
from .sandbox import Limits, Worker, sandbox_available, why_unavailable

# scikit-learn: lesson 9 reads its bundled digits in a notebook cell, which runs while grading
PINNED = ("numpy==2.4.6", "matplotlib==3.11.2", "tqdm==4.70.1", "scikit-learn==1.9.1")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (use the Ubuntu 24.04 base image).
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-venv bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet {pins}
# Learners' code never needs to read the grader's files; keep them private to root. The exception is the
# worker (autograder/worker: the value codec and the worker loop, no answers): the sandbox runs it as
# nobody, and without read access to it the sandbox would have to run as root.
chmod -R go-rwx /autograder/source
chmod -R go+rX /autograder/source/autograder/worker
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this once per submission. The two variables let a test run it on a simulated tree.
ROOT="${{BACKPROP_GRADESCOPE_ROOT:-/autograder}}"
PYTHON="${{BACKPROP_GRADESCOPE_PYTHON:-/autograder/venv/bin/python}}"
cd "$ROOT/source"
BACKPROP_GRADESCOPE_ROOT="$ROOT" PYTHONPATH="$ROOT/source" exec "$PYTHON" -m autograder.gradescope {lesson}
"""


def results_json(row):
    """Gradescope's results.json document for one graded submission."""
    tests = [
        {
            "name": f"{t['function']}: {t['title']}",
            "score": t["score"],
            "max_score": t["max_score"],
            "status": t["status"],
            "output": t["message"] or "Passed.",
            "visibility": "visible",
        }
        for t in row["tests"]
    ]
    output = format_results(row["tests"])
    if row["error"]:
        output = f"{row['error']}\n\n{output}"
    return {"output": output, "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def run(lesson, root=None):
    """Grade the submission under `root` (default /autograder) and write results/results.json."""
    root = Path(root or os.environ.get("BACKPROP_GRADESCOPE_ROOT", "/autograder"))
    results = root / "results" / "results.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    if sandbox_available():
        with Worker(Limits(timeout=300.0, memory_mb=512)) as worker:
            row = grade_one(worker, lesson, root / "submission")
    else:  # never run learner code unsandboxed here: the reference sits next to it
        row = refused(lesson, root / "submission", why_unavailable())
    results.write_text(json.dumps(results_json(row), indent=2))
    return row


def refused(lesson, path, why):
    """A row that grades nothing and tells the instructor why."""
    reason = (
        f"Not graded: the autograder could not start its sandbox ({why}), and it never runs learner code "
        "without one. Instructor: build the autograder on Gradescope's Ubuntu 24.04 base image with this "
        "zip's setup.sh (it installs bubblewrap), then regrade."
    )
    checks_ = checks.load(lesson)
    return finish(empty_row(path, "submission", lesson), not_run(checks_, reason), reason)


def build_zip(lesson, out):
    """Write the autograder zip for `lesson` to `out`."""
    lesson = checks.lesson_name(lesson)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (
            ("setup.sh", SETUP_SH.format(pins=" ".join(PINNED))),
            ("run_autograder", RUN_AUTOGRADER.format(lesson=lesson)),
        ):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            zf.writestr(info, text)
        for package in ("autograder", "solutions"):
            for path in sorted((ROOT / package).rglob("*.py")):
                zf.write(path, path.relative_to(ROOT).as_posix())
        release = ROOT / "release" / lesson / f"{lesson}.ipynb"  # its demo cells are skipped while grading
        zf.write(release, release.relative_to(ROOT).as_posix())
    return Path(out)


def main(args):
    path = build_zip(args.lesson, args.output)
    print(f"wrote {path}: upload it as the autograder of the Gradescope assignment for {args.lesson}")
    return 0


def add_arguments(parser):
    parser.add_argument("lesson", help="lesson name, e.g. 06-backprop")
    parser.add_argument("-o", "--output", required=True, help="the zip file to write")


if __name__ == "__main__":
    run(checks.lesson_name(sys.argv[1]))
