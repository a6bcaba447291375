"""Run hidden checks from an nbgrader test cell, inside the learner's own kernel.

nbgrader scores a test cell by its output: an error or any stderr gives 0, and a number as the cell's value
is partial credit. So this prints a readable report on stdout, keeps warnings off stderr, and returns the
points earned as a plain float for the cell to display. Learner code shares this kernel, so this path is
only as safe as nbgrader itself; the batch grader (`python -m autograder grade`) is the sandboxed one.
"""

import contextlib
import io
import warnings

import numpy as np

from . import checks
from .grading import run_checks
from .learner import Learner, LocalBackend
from .report import format_results


def grade_function(lesson, function, namespace):
    """Run the checks of `function` against the notebook's namespace; print them; return points earned."""
    selected = [c for c in checks.load(lesson) if c.function == function]
    with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        results = run_checks(selected, Learner(LocalBackend(namespace)))
    print(format_results([r.to_dict() for r in results]))
    return float(sum(r.score for r in results))
