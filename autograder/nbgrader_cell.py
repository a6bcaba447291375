"""Run hidden checks from an nbgrader test cell, inside the learner's own kernel.

nbgrader scores a test cell by its output: an error or any stderr gives 0, and a number as the cell's value
is partial credit (`nbgrader.utils.determine_grade` parses the value's text/plain as a float). So this
prints a readable report on stdout, wrapped to fit a feedback page, keeps warnings off stderr, and returns
the points earned as a `Points`: a float whose text is the number nbgrader parses and whose HTML reads
"2 of 3 points". Learner code shares this kernel, so this path is only as safe as nbgrader itself; the batch
grader (`python -m autograder grade`) is the sandboxed one.
"""

import contextlib
import html
import io
import textwrap
import warnings

import numpy as np

from . import checks
from .grading import run_checks
from .learner import Learner, LocalBackend
from .report import format_results

WIDTH = 100  # nbgrader's feedback page shows stdout in a <pre> that never wraps


class Points(float):
    """Points earned in one test cell: plain text for nbgrader's parser, words for people."""

    def __new__(cls, earned, possible):
        value = super().__new__(cls, earned)
        value.possible = float(possible)
        return value

    def __repr__(self):
        return repr(float(self))

    def _repr_html_(self):
        return f"<strong>{html.escape(self.words())}</strong>"

    def words(self):
        return f"{float(self):g} of {self.possible:g} point{'' if self.possible == 1 else 's'}"


def wrap(report, width=WIDTH):
    """Wrap each long line of a report, continuing under its own indentation (plus two spaces)."""
    lines = []
    for line in report.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        lines.extend(
            textwrap.wrap(line, width, subsequent_indent=indent + "  ", break_long_words=False) or [line]
        )
    return "\n".join(lines)


def grade_function(lesson, function, namespace):
    """Run the checks of `function` against the notebook's namespace; print them; return points earned."""
    selected = [c for c in checks.load(lesson) if c.function == function]
    with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        results = run_checks(selected, Learner(LocalBackend(namespace)))
    print(wrap(format_results([r.to_dict() for r in results])))
    return Points(sum(r.score for r in results), sum(r.max_score for r in results))
