"""Hidden checks for lesson 3: partial derivatives.

Same tolerance as lesson 2 (relative 1e-4): it accepts forward and central differences with sensible
steps and rejects a step of 1e-12 or 1e-2.
"""

from functools import partial

import numpy as np

from solutions import partial_derivatives as ref

from ..learner import describe_call
from ..worker.plain import TestFn
from . import Fail, check
from .compare import expect_close, number, rel_error
from .diagnose import Mistake, likely
from .test_numeric_diff import step_hint

LESSON = "03-partial-derivatives"
RTOL, ATOL = 1e-4, 1e-6

MISTAKES = [
    Mistake(
        "diffp always nudges the first argument: nudge args[idx], the one `idx` names.",
        lambda fn, idx, *args: ref.diffp(fn, 0, *args),
    ),
    Mistake(
        "diffp nudges the argument before the one `idx` names (off by one): nudge args[idx].",
        lambda fn, idx, *args: ref.diffp(fn, idx - 1, *args),
    ),
    Mistake(
        "the difference is taken the wrong way round, so the slope has the wrong sign.",
        lambda fn, idx, *args: -ref.diffp(fn, idx, *args),
    ),
    Mistake(
        "a central difference spans 2 * delta: divide by 2 * delta.",
        lambda fn, idx, *args: 2 * ref.diffp(fn, idx, *args),
    ),
]


def diffp_hint(learner, got, name, idx, args):
    named = likely(MISTAKES, got, (TestFn(name), idx, *args))
    if named or rel_error(got, ref.diffp(TestFn(name), idx, *args)) > 0.05:
        return named
    try:
        on_line = number(learner.diffp(TestFn("line_y"), 0, 3.0, 1e4, 5.0), "diffp(line_y, 0, 3.0, 1e4, 5.0)")
    except Fail:
        return None
    return step_hint(abs(on_line - 5.0) <= 1e-6 * 5.0)


def expect_partial(learner, name, idx, *args):
    call = describe_call("diffp", (TestFn(name), idx, *args), {})
    got = number(learner.diffp(TestFn(name), idx, *args), call)
    hint = partial(diffp_hint, learner, got, name, idx, args)
    expect_close(got, ref.diffp(TestFn(name), idx, *args), call, rtol=RTOL, atol=ATOL, hint=hint)


@check("diffp", points=1)
def test_diffp_every_argument(learner):
    """diffp differentiates with respect to the argument `idx` names, whichever it is"""
    for idx in range(3):
        expect_partial(learner, "mixed3", idx, 1.5, -0.7, 2.0)
        expect_partial(learner, "mixed3", idx, -2.0, 3.0, 0.5)


@check("diffp", points=1)
def test_diffp_line(learner):
    """diffp gives the slope, intercept and input partials of a line"""
    for idx in range(3):
        expect_partial(learner, "line_y", idx, 2.5, -1.0, 4.0)


@check("diffp", points=1)
def test_diffp_large_values(learner):
    """diffp stays accurate where the function's value is large (a step that is too small fails here)"""
    expect_partial(learner, "five_x1_plus_x2_squared", 0, 10.0, 20.0)
    expect_partial(learner, "five_x1_plus_x2_squared", 1, 10.0, 20.0)
    expect_partial(learner, "mixed3", 0, 30.0, 12.0, 9.0)


@check("diffp", points=1)
def test_diffp_leaves_arrays_alone(learner):
    """diffp does not change the caller's arrays (no `args[idx] += delta` on an array)"""
    rng = np.random.default_rng(303)
    X = rng.random((12, 1))
    y = 1.0 + 2.0 * X
    m = np.array([0.5])
    for idx, args in ((0, (m, 0.25, X, y)), (1, (0.5, np.array([0.25]), X, y))):
        expect_partial(learner, "sum_squared_error", idx, *args)
