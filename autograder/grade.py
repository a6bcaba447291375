"""`python -m autograder grade LESSON PATH...`: grade a batch of submissions in sandboxed workers.

Each submission runs in a fresh process forked from a warm worker (see sandbox/); the checks and the
reference stay in this process and only ever see plain data. One bad submission costs only its own score.
"""

import argparse
import itertools
import os
import sys
import tempfile
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from tqdm import tqdm

from . import checks, demo_cells, feedback, ledger, outputs, report
from .grading import not_run, run_checks
from .learner import Learner
from .notes import cell_notes
from .sandbox import Limits, SessionDead, Worker
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


def grade_one(worker, lesson, path, probes=False, run_demos=False):
    """Grade one submission on `worker`; return its report row (never raises for bad learner input)."""
    lesson_checks = checks.load(lesson)
    row = report.row(path, learner_id(path, lesson), lesson)
    try:
        cells = read_cells(find(path, lesson))
    except (BadSubmission, OSError) as exc:
        reason = clean(str(exc), 300)  # it quotes file names a learner chose
        return report.finish(row, not_run(lesson_checks, f"Could not read the submission: {reason}"), reason)
    return grade_cells(worker, lesson, cells, row, probes, run_demos)


def grade_cells(worker, lesson, cells, row, probes=False, run_demos=False):
    """Run `cells` on `worker` and the lesson's checks against them; fill and return `row`.

    Released `demo` cells are left out (demo_cells.py) unless `run_demos`; if anything then fails with a
    NameError, the submission is graded again with every cell, so skipping costs no points."""
    if not run_demos:
        fast = demo_cells.without_demos(cells, lesson)
        if fast != cells:
            quick, name_error = _grade(worker, lesson, fast, dict(row), probes)
            if not name_error:
                return quick
    return _grade(worker, lesson, cells, row, probes)[0]


def _grade(worker, lesson, cells, row, probes):
    """(row, whether a NameError showed anywhere)."""
    lesson_checks = checks.load(lesson)
    results, errors = None, []
    try:
        with worker.open(cells) as session:
            errors = session.cell_errors
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
            return report.finish(row, not_run(lesson_checks, reason), str(exc)), False
    texts = [*errors, *(r.message for r in results)]
    return report.finish(row, results, None), any("NameError" in text for text in texts)


def grade_stream(tasks, limits, jobs, want_plots=False, run_demos=False):
    """Grade every (lesson, path) task with `jobs` warm workers in parallel; yield rows as they finish."""
    local = threading.local()
    workers = []

    def work(task):
        if not hasattr(local, "worker"):
            local.worker = Worker(limits)
            workers.append(local.worker)
        try:
            return grade_one(local.worker, *task, probes=want_plots, run_demos=run_demos)
        except Exception as exc:  # noqa: BLE001 - a grader bug on one submission must not stop the batch
            lesson, path = task
            reason = f"the grader failed on this submission ({type(exc).__name__}: {exc}); please report it"
            row = report.row(path, learner_id(path, lesson), lesson)
            return report.finish(row, not_run(checks.load(lesson), reason), reason)

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            bar = tqdm(total=len(tasks), desc="grading", unit="submission", disable=None, file=sys.stderr)
            waiting = iter(tasks)  # at most two per worker in flight: finished rows are not held here
            running = {pool.submit(work, task) for task in itertools.islice(waiting, 2 * jobs)}
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                    bar.update(1)
                    running |= {pool.submit(work, task) for task in itertools.islice(waiting, 1)}
            bar.close()
    finally:
        for worker in workers:
            worker.close()


def grade_batch(tasks, limits, jobs, want_plots=False, run_demos=False):
    """Every task's row, in task order (for callers that want them all in memory: demo, tests)."""
    order = {(lesson, report.submission_name(path)): i for i, (lesson, path) in enumerate(tasks)}
    rows = list(grade_stream(tasks, limits, jobs, want_plots, run_demos))
    return sorted(rows, key=lambda r: order[r["lesson"], r["submission"]])


def shard(text):
    """--shard K/N: (K, N) with 1 <= K <= N, or an argparse error (exit status 2)."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N, e.g. 2/8, not {text!r}") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"K/N needs 1 <= K <= N, not {text!r}")
    return k, n


def my_share(paths, part):
    """Every N-th submission in path order, starting at the K-th: each shard grades a disjoint share."""
    ordered = sorted(paths, key=str)
    if part is None:
        return ordered
    k, n = part
    return ordered[k - 1 :: n]


def main(args):
    lesson = checks.lesson_name(args.lesson)
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:  # a typo must not become a learner called "submitted" with a zero: write nothing
        for path in missing:
            print(f"error: {path} does not exist (nothing was graded or written)", file=sys.stderr)
        return 2
    if args.resume and not args.jsonl:
        print("error: --resume needs --jsonl FILE (the rows to resume from)", file=sys.stderr)
        return 2
    paths = my_share(expand(args.paths, lesson), args.shard)
    if not paths:
        print(f"no submissions found in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        path = args.jsonl or os.path.join(scratch, "rows.jsonl")
        try:  # an existing file must be a ledger; a half-written last row is cut off before appending
            done = ledger.index(path, repair=True)
        except ledger.LedgerError as exc:
            print(f"error: cannot {'resume' if args.resume else 'append to'} it: {exc}", file=sys.stderr)
            return 2
        if not args.resume:
            done = {}
        digests = {report.submission_name(p): ledger.digest(p, lesson) for p in paths}
        keys = {p: ledger.key(report.submission_name(p), digests[report.submission_name(p)]) for p in paths}
        todo = [(lesson, p) for p in paths if keys[p] not in done]
        limits = Limits(timeout=args.timeout, memory_mb=args.memory)
        for row in grade_stream(todo, limits, args.jobs, bool(args.feedback), args.run_demos):
            row["sha256"] = digests[row["submission"]]  # the content it was graded for (read before)
            ledger.append(path, row)
        entries = ledger.index(path)
        items = [(entries[keys[p]], path) for p in paths]
        table = outputs.write(items, args.csv, args.json, args.feedback)
    print(table)
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
    parser.add_argument(
        "--run-demos",
        action="store_true",
        help="also run the lessons' demo cells that a learner left as released (skipped by default)",
    )
    parser.add_argument(
        "--jsonl", metavar="FILE", help="append each finished row to FILE as one JSON line (see --resume)"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="skip submissions that already have a row in the --jsonl FILE with the same path and content",
    )
    parser.add_argument(
        "--shard",
        type=shard,
        metavar="K/N",
        help="grade only every N-th submission in path order, from the K-th",
    )
