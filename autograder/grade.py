"""`python -m autograder grade LESSON PATH...`: grade a batch of submissions in sandboxed workers.

Each submission runs in a fresh process forked from a warm worker (see runner.py); the checks and the
reference stay in this process and only ever see plain data. One bad submission costs only its own score.
"""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tqdm import tqdm

from . import checks, feedback, report
from .grading import not_run, run_checks
from .learner import Learner
from .notes import cell_notes
from .runner import Limits, SessionDead, Worker
from .sanitize import clean
from .submission import BadSubmission, find, learner_id, read_cells


def expand(paths, lesson):
    """Submissions named by PATHs: files, submission folders, nbgrader's submitted/, or flat folders.

    A folder is one submission when it holds `<lesson>/`, `<lesson>.ipynb` or `<lesson>.py`, or a single
    notebook or .py file; nbgrader's submitted/ when its subfolders hold `<lesson>/`; otherwise a flat
    folder with one submission per notebook or .py file.
    """
    found = []
    for path in map(Path, paths):
        if not path.is_dir():
            found.append(path)  # a file (main() has already refused paths that do not exist)
            continue
        files = sorted(p for p in path.iterdir() if p.suffix in (".ipynb", ".py") and p.is_file())
        learners = sorted(sub for sub in path.iterdir() if (sub / lesson).is_dir())
        own = (path / lesson).is_dir() or any(p.stem == lesson for p in files)
        if own or len(files) == 1:
            found.append(path)
        elif learners:
            found.extend(learners)
        else:
            found.extend(files)
    return found


def grade_one(worker, lesson, path, probes=False):
    """Grade one submission on `worker`; return its report row (never raises for bad learner input)."""
    lesson_checks = checks.load(lesson)
    row = report.row(path, learner_id(path, lesson), lesson)
    try:
        cells = read_cells(find(path, lesson))
    except (BadSubmission, OSError) as exc:
        reason = clean(str(exc), 300)  # it quotes file names a learner chose
        return report.finish(row, not_run(lesson_checks, f"Could not read the submission: {reason}"), reason)
    results = None
    try:
        with worker.open(cells) as session:
            learner = Learner(session)
            results = run_checks(lesson_checks, learner)  # a dying session fails the checks left, inside
            tests = [r.to_dict() for r in results]
            row["notes"] = cell_notes(session.cell_errors, cells, tests)
            try:
                row["plots"] = feedback.probe(lesson, learner) if probes else {}
            except SessionDead:  # the fit plot is a courtesy: losing it must not cost the scores above
                row["plots"] = {}
    except SessionDead as exc:
        if results is None:
            reason = f"Your code stopped the grader's worker: {exc}"
            return report.finish(row, not_run(lesson_checks, reason), str(exc))
    return report.finish(row, results, None)


def grade_batch(tasks, limits, jobs, want_plots=False):
    """Grade every (lesson, path) task with `jobs` warm workers in parallel; rows come back in task order."""
    local = threading.local()
    workers = []

    def work(task):
        if not hasattr(local, "worker"):
            local.worker = Worker(limits)
            workers.append(local.worker)
        try:
            return grade_one(local.worker, *task, probes=want_plots)
        except Exception as exc:  # noqa: BLE001 - a grader bug on one submission must not stop the batch
            lesson, path = task
            reason = f"the grader failed on this submission ({type(exc).__name__}: {exc}); please report it"
            row = report.row(path, learner_id(path, lesson), lesson)
            return report.finish(row, not_run(checks.load(lesson), reason), reason)

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            bar = tqdm(total=len(tasks), desc="grading", unit="submission", disable=None, file=sys.stderr)
            futures = [pool.submit(work, task) for task in tasks]
            rows = []
            for future in futures:
                rows.append(future.result())
                bar.update(1)
            bar.close()
    finally:
        for worker in workers:
            worker.close()
    return rows


def main(args):
    lesson = checks.lesson_name(args.lesson)
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:  # a typo must not become a learner called "submitted" with a zero: write nothing
        for path in missing:
            print(f"error: {path} does not exist (nothing was graded or written)", file=sys.stderr)
        return 2
    paths = expand(args.paths, lesson)
    if not paths:
        print(f"no submissions found in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, memory_mb=args.memory)
    rows = grade_batch([(lesson, p) for p in paths], limits, args.jobs, want_plots=bool(args.feedback))
    if args.json:
        report.write_json(rows, args.json)
    if args.csv:
        report.write_csv(rows, args.csv)
    if args.feedback:
        feedback.write_pages(rows, args.feedback)
    print(report.table(rows))  # after the files: a closed pipe (`| head`) must not cost them
    return 0


def add_arguments(parser):
    parser.add_argument("lesson", help="lesson name, e.g. 06-backprop (or backprop)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebooks, .py files or folders")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 2, help="parallel workers (default: CPU count)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per submission (default 60)")
    parser.add_argument("--memory", type=int, default=1024, help="MB of memory per submission (default 1024)")
    parser.add_argument("--json", metavar="FILE", help="write one JSON object per submission to FILE")
    parser.add_argument("--csv", metavar="FILE", help="write grades in nbgrader's export columns to FILE")
    parser.add_argument("--feedback", metavar="DIR", help="write one HTML feedback page per learner to DIR")
