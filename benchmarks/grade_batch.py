"""Benchmark: grade one batch of backprop submissions with `python -m autograder grade`, then with stock
`nbgrader autograde` (learner code in a kernel, nbgrader's own Execute) in a scratch course; print both
wall times, their ratio, the grading process's peak memory, and check that every submission's score is
identical.

    .venv/bin/python benchmarks/grade_batch.py [--count 120] [--skip-nbgrader]

The batch mixes correct styles and realistic mistakes from tests/catalogue.py, untouched stubs, and broken
files (a syntax error, a truncated notebook, a cell that raises), all built from the release notebook.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from autograder import nbgrader_course as course  # noqa: E402
from autograder.samples import answer  # noqa: E402
from catalogue import ROWS  # noqa: E402

LESSON = "06-backprop"


def variants():
    """(label, notebook-or-text) for every kind of submission in the batch."""
    release = nbformat.read(ROOT / "release" / LESSON / f"{LESSON}.ipynb", as_version=4)

    def notebook(replace):
        nb = nbformat.from_dict(release)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                cell.source = replace.get(meta["grade_id"], answer(LESSON, meta["grade_id"], "ada"))
        return nbformat.writes(nb)

    found = [
        (f"{r.kind}: {r.function} ({r.label})", notebook({r.function: r.code}))
        for r in ROWS
        if r.lesson == LESSON
    ]
    found.append(("untouched stubs", nbformat.writes(release)))
    broken = notebook({"neuron": "def neuron(w1, w2, x)\n    return w1 * x + w2"})
    found.append(("broken: syntax error", broken))
    found.append(("broken: truncated file", notebook({})[:5000]))
    found.append(("broken: cell raises at import", notebook({"forward_nn": "raise RuntimeError('oops')"})))
    return found


def build_batch(folder, count):
    """Write `count` submissions under folder/submitted/<id>/<lesson>/; return {id: label}."""
    kinds = variants()
    labels = {}
    for i in range(count):
        label, text = kinds[i % len(kinds)]
        learner = f"s{i:03d}"
        path = folder / "submitted" / learner / LESSON / f"{LESSON}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        labels[learner] = label
    return labels


def peak_rss_mb(pid):
    """The process's peak resident memory so far (VmHWM), in MB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_autograder(folder):
    """(seconds, {learner: score}, peak MB of the grading process itself, workers not included)."""
    out = folder / "autograder.json"
    command = [
        sys.executable,
        "-m",
        "autograder",
        "grade",
        LESSON,
        str(folder / "submitted"),
        "--json",
        str(out),
    ]
    start = time.perf_counter()
    grading = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0.0
    while grading.poll() is None:
        peak = max(peak, peak_rss_mb(grading.pid) or 0.0)
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if grading.returncode != 0:
        raise RuntimeError("python -m autograder grade failed")
    rows = json.loads(out.read_text())
    return elapsed, {r["learner"]: r["score"] for r in rows}, peak


def run_nbgrader(folder):
    scratch = course.make_course(folder / "nbgrader", [LESSON], stock=True)
    course.generate(scratch, LESSON)
    subprocess.run(["cp", "-r", str(folder / "submitted"), str(scratch)], check=True)
    start = time.perf_counter()
    course.autograde(scratch, LESSON, check=False)  # broken files fail here, as they should
    elapsed = time.perf_counter() - start
    rows = course.export(scratch)
    return elapsed, {r["student_id"]: float(r["score"]) for r in rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=120, help="submissions in the batch (default 120)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="time the autograder only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        labels = build_batch(folder, args.count)
        ours, our_scores, peak = run_autograder(folder)
        print(
            f"autograder: {args.count} submissions in {ours:.1f} s ({1000 * ours / args.count:.0f} ms each); "
            f"peak memory of the grading process {peak:.0f} MB"
        )
        if args.skip_nbgrader:
            return 0
        theirs, their_scores = run_nbgrader(folder)
        print(
            f"nbgrader autograde: {args.count} submissions in {theirs:.1f} s "
            f"({1000 * theirs / args.count:.0f} ms each)"
        )
        print(f"speed-up: {theirs / ours:.1f}x")
        disagree = [
            (k, labels[k], our_scores[k], their_scores.get(k))
            for k in labels
            if abs(our_scores[k] - their_scores.get(k, -1)) > 1e-9
        ]
        for learner, label, mine, other in disagree:
            print(f"DISAGREE {learner} [{label}]: autograder {mine:g}, nbgrader {other}")
        print("every submission's score is identical" if not disagree else f"{len(disagree)} disagree")
        return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
