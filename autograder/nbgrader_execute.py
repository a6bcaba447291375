"""`SandboxedExecute`: nbgrader's autograde step, with learner code in our sandbox instead of a kernel.

Stock `nbgrader autograde` runs the learner's cells and the hidden tests in one kernel, so learner code can
patch the checks, lie through `__eq__`, or read `gradebook.db`. `nbgrader_config.py` puts this
preprocessor in place of nbgrader's `Execute`: it runs the learner's code cells (hidden test regions
removed, exactly what `python -m autograder grade` runs) in a sandboxed worker, judges the lesson's checks
in this process on plain data, and writes each graded test cell's result where nbgrader reads it:

* some points: an `execute_result` whose text is the number (nbgrader's partial credit) and whose HTML
  reads "2 of 3 points", under the cell's report;
* no points: an `error` output carrying the report, so nbgrader gives 0 and the feedback shows why.

Everything after this step (SaveAutoGrades, formgrader, generate_feedback, export, manual grading) is
nbgrader's own and unchanged. Without a working sandbox it refuses: learner code never runs in the
checks' process.
"""

import atexit
import json
import sys
import threading

import nbformat
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from . import checks, report
from .grade import grade_cells
from .nbgrader_cell import wrap
from .sandbox import Limits, Worker, sandbox_available, why_unavailable
from .submission import notebook_cells, strip_hidden_tests


class SandboxUnavailable(RuntimeError):
    """No working sandbox: nbgrader autograde must stop rather than run learner code unsandboxed."""


def refuse_without_sandbox(argv=None):
    """For nbgrader_config.py: stop `nbgrader autograde` at once, saying why, when no sandbox works here.
    (Other nbgrader commands run no learner code and go on; under formgrader, SandboxedExecute itself
    refuses each notebook.)"""
    argv = sys.argv if argv is None else argv
    if "autograde" in argv[1:3] and not sandbox_available():
        print(
            f"nbgrader autograde: no working sandbox here ({why_unavailable()}); learner code is never "
            "run beside the checks. Install bubblewrap (apt-get install bubblewrap), then run it again.",
            file=sys.stderr,
        )
        raise SystemExit(2)


_worker = None
_lock = threading.Lock()


def shared_worker(limits):
    """One warm worker for the whole autograde run (nbgrader grades notebooks one after another)."""
    global _worker
    with _lock:
        if _worker is None:
            if not sandbox_available():
                raise SandboxUnavailable(
                    f"no working sandbox ({why_unavailable()}): refusing to run learner code in nbgrader's "
                    "process. Install bubblewrap (apt-get install bubblewrap) and run autograde again."
                )
            _worker = Worker(limits, sandbox=True)
            atexit.register(_worker.close)
        _worker.limits = limits
        return _worker


class SandboxedExecute(NbGraderPreprocessor):
    """Grade a submitted notebook in the sandbox and record each test cell's points as nbgrader reads them."""

    timeout = Integer(60, help="Seconds a submission may run (cells and checks together).").tag(config=True)
    memory_mb = Integer(1024, help="Megabytes of memory a submission may use.").tag(config=True)

    def preprocess(self, nb, resources):
        lesson = checks.lesson_name(resources["nbgrader"]["assignment"])
        worker = shared_worker(Limits(timeout=float(self.timeout), memory_mb=int(self.memory_mb)))
        cells = [strip_hidden_tests(c) for c in notebook_cells(json.dumps(nb), "notebook")]
        row = report.row(resources["nbgrader"]["student"], resources["nbgrader"]["student"], lesson)
        row = grade_cells(worker, lesson, cells, row)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                function = str(meta.get("grade_id", ""))[len("test_") :]
                tests = [t for t in row["tests"] if t["function"] == function]
                cell.outputs = outputs(tests, row)
        if row["notes"]:
            first = next((c for c in nb.cells if c.cell_type == "code"), None)
            if first is not None:
                text = "".join(f"Note: {note}\n" for note in row["notes"])
                first.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
        return nb, resources


def outputs(tests, row):
    """The outputs of one graded test cell: its report, then its points (or an error when there are none)."""
    if not tests:
        reason = row["error"] or "no hidden checks belong to this cell"
        return [_error(f"Not graded: {reason}")]
    text = wrap(report.format_results(tests))  # nbgrader's feedback page does not wrap stdout
    got, worth = sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)
    if got <= 0:
        return [_error(text)]
    result = nbformat.v4.new_output(
        "execute_result",
        data={
            "text/plain": repr(float(got)),
            "text/html": f"<b>{got:g} of {worth:g} point{'' if worth == 1 else 's'}</b>",
        },
        execution_count=None,
    )
    return [nbformat.v4.new_output("stream", name="stdout", text=text + "\n"), result]


def _error(text):
    """An error output: nbgrader gives the cell 0, and its traceback lines are the report."""
    first = text.splitlines()[0] if text else "failed"
    return NotebookNode(output_type="error", ename="Failed", evalue=first, traceback=text.splitlines())
