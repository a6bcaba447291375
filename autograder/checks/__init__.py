"""The hidden checks: one pytest module per lesson, `test_<module>.py`.

A check is a plain pytest test that takes the `learner` fixture, calls the learner's functions through it,
and compares the answers with `solutions/`. `@check(function, points)` records what it grades and what it
is worth; that record is the single source of truth for points, used by the batch grader, the nbgrader
test cells, the lesson headers and Gradescope alike.
"""

import importlib
from dataclasses import dataclass

from solutions import LESSON_MODULES


class Fail(AssertionError):
    """A check failed. The message is shown to the learner, so it must never contain an expected value."""


@dataclass(frozen=True)
class Check:
    lesson: str
    function: str
    name: str
    points: float
    run: object  # callable(learner) -> None, raises Fail

    @property
    def title(self):
        return (self.run.__doc__ or self.name).strip().splitlines()[0]


def check(function, points=1.0):
    """Mark a pytest test as a hidden check of `function` worth `points`."""

    def mark(test):
        test.graded_function = function
        test.points = float(points)
        return test

    return mark


def lesson_name(name):
    """Accept a lesson's folder name or module name ('06-backprop' or 'backprop')."""
    if name in LESSON_MODULES:
        return name
    for lesson, module in LESSON_MODULES.items():
        if name in (module, lesson[3:]):
            return lesson
    raise KeyError(f"unknown lesson {name!r}; choose from {', '.join(LESSON_MODULES)}")


def load(lesson):
    """The checks of one lesson, in the order they are written."""
    lesson = lesson_name(lesson)
    module = importlib.import_module(f"autograder.checks.test_{LESSON_MODULES[lesson]}")
    tests = [t for t in vars(module).values() if callable(t) and hasattr(t, "graded_function")]
    tests.sort(key=lambda t: t.__code__.co_firstlineno)
    return [Check(lesson, t.graded_function, t.__name__, t.points, t) for t in tests]


def points_by_function(lesson):
    """{function: total points} for one lesson, in the order the checks are written."""
    totals = {}
    for c in load(lesson):
        totals[c.function] = totals.get(c.function, 0.0) + c.points
    return totals
