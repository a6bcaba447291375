"""Hidden checks for lesson 2: numeric differentiation.

Tolerance: relative 1e-4 (plus 1e-6 absolute near zero). Central differences with a step from 1e-8 to
1e-3 and forward differences with a step from 1e-9 to 1e-5 all land well inside it on these inputs; the
seed's step of 1e-12, or a step of 1e-2, lands outside it.
"""

from functools import partial

from solutions import numeric_diff as ref

from ..worker.plain import TestFn
from . import Fail, check
from .compare import expect_close, number, rel_error
from .diagnose import Mistake, likely

LESSON = "02-numeric-diff"
RTOL, ATOL = 1e-4, 1e-6

MISTAKES = [
    Mistake(
        "the difference is taken the wrong way round, so the slope has the wrong sign: "
        "subtract f(x) from f(x + delta), not the other way.",
        lambda fn, x: -ref.diff(fn, x),
    ),
    Mistake(
        "a central difference spans 2 * delta: divide by 2 * delta (or by the step actually taken).",
        lambda fn, x: 2 * ref.diff(fn, x),
    ),
    Mistake("diff returns the function's value, not its slope.", lambda fn, x: fn(x)),
]


def step_hint(exact_on_line):
    """For a near miss, tell round-off (wrong even on a straight line) from truncation (right on a line)."""
    if exact_on_line:
        return (
            "your step is too large: truncation error dominates. Use a central difference with a step "
            "near 1e-6 (or a forward difference with a step near 1e-8)."
        )
    return (
        "your step is too small: round-off error dominates, even on a straight line. Use a step near "
        "1e-6 with a central difference, not 1e-12."
    )


def diff_hint(learner, got, name, x):
    named = likely(MISTAKES, got, (TestFn(name), x))
    if named or rel_error(got, ref.diff(TestFn(name), x)) > 0.05:
        return named
    try:
        on_line = number(learner.diff(TestFn("big_line"), 5.0), "diff(big_line, 5.0)")
    except Fail:
        return None
    return step_hint(abs(on_line - 3.0) <= 1e-6 * 3.0)


def expect_derivative(learner, name, x):
    call = f"diff({name}, {x})"
    got = number(learner.diff(TestFn(name), x), call)
    hint = partial(diff_hint, learner, got, name, x)
    expect_close(got, ref.diff(TestFn(name), x), call, rtol=RTOL, atol=ATOL, hint=hint)


@check("diff", points=1)
def test_diff_polynomials(learner):
    """diff is right for polynomials, at several points"""
    for name, x in (("sq", 3.0), ("cube", 2.0), ("cube", -1.5), ("quartic", 0.75)):
        expect_derivative(learner, name, x)


@check("diff", points=1)
def test_diff_smooth_functions(learner):
    """diff is right for sin and exp"""
    for name, x in (("sin", 0.7), ("sin", 2.5), ("exp", 1.5), ("exp", -2.0)):
        expect_derivative(learner, name, x)


@check("diff", points=1)
def test_diff_large_values(learner):
    """diff stays accurate where the function's value is large (a step that is too small fails here)"""
    for name, x in (("quartic", 12.0), ("exp", 6.0), ("cube", 20.0)):
        expect_derivative(learner, name, x)
