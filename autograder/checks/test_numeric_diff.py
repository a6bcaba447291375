"""Hidden checks for lesson 2: numeric differentiation.

Tolerance: relative 1e-4 (plus 1e-6 absolute near zero). Central differences with a step from 1e-8 to
1e-3 and forward differences with a step from 1e-9 to 1e-5 all land well inside it on these inputs; the
seed's step of 1e-12, or a forward step of 1e-3, lands outside it.

A table of exact derivatives for the functions diff recognises (by name, or by probing fn at fixed points)
is not numeric differentiation: `mystery` takes coefficients this module chooses, so no table has it.

When an answer is wrong, the hint comes from evidence that singles one mistake out: the reference's known
wrong variants (MISTAKES), then the difference quotients of the learner's own evaluations of fn, read from
a traced call (diagnose.quotient_hint). Inputs are chosen so that every variant is apart from the answer
and from the others wherever it first fails (tests/test_diagnostics.py).
"""

from functools import partial

from solutions import numeric_diff as ref

from ..worker.plain import TestFn
from . import Fail, check
from .compare import expect_close, number
from .diagnose import Mistake, likely
from .quotients import evaluations, quotient_hint

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

NOT_NEAR_X = (
    "diff never evaluated fn near x, so its answer does not come from fn's values: a numeric derivative "
    "must, for any fn (an exact formula for a function it recognises is not numeric differentiation). "
    "Compute the slope from fn(x + delta) and fn(x) (or fn(x - delta))."
)

# (test function, its coefficients, x): the inputs of each check, in the order they are tried.
MYSTERY = ("mystery", (1.7, 1.3, -0.4))
POLYNOMIALS = ((("sq", ()), 3.0), (("cube", ()), 2.0), (("cube", ()), -1.5), (("quartic", ()), 0.75))
SMOOTH = ((("sin", ()), 0.7), (("sin", ()), 2.5), (("exp", ()), 1.5), (("exp", ()), -2.0), (MYSTERY, 0.8))
LARGE = ((("quartic", ()), 12.0), (("exp", ()), 6.0), (("cube", ()), 20.0))
CASES = {
    "test_diff_polynomials": POLYNOMIALS,
    "test_diff_smooth_functions": SMOOTH,
    "test_diff_large_values": LARGE,
}


def diff_hint(learner, fn, x, got, want):
    """A catalogued mistake that explains `got`, else what diff's own evaluations of fn explain."""
    named = likely(MISTAKES, got, (fn, x), want=want)
    if named:
        return named
    try:
        _, calls = learner.traced("diff", fn, x)
    except Fail:
        return None
    if calls is None:
        return None
    found = evaluations(calls, fn.name, [x], nparams=len(fn.params))
    scale = max(1.0, abs(x))
    near = [(s, v) for s, v in found.get(0, []) if abs(s) <= 0.1 * scale] + found.get(None, [])
    if not any(s for s, _ in near):
        return NOT_NEAR_X
    return quotient_hint(got, want, near, scale)


def expect_derivative(learner, function, x):
    name, params = function
    fn = TestFn(name, *params)
    call = f"diff({name}, {x})"
    got = number(learner.diff(fn, x), call)
    want = ref.diff(fn, x)
    expect_close(got, want, call, rtol=RTOL, atol=ATOL, hint=partial(diff_hint, learner, fn, x, got))


@check("diff", points=1)
def test_diff_polynomials(learner):
    """diff is right for polynomials, at several points"""
    for function, x in POLYNOMIALS:
        expect_derivative(learner, function, x)


@check("diff", points=1)
def test_diff_smooth_functions(learner):
    """diff is right for sin and exp, and for a function whose formula it cannot know in advance"""
    for function, x in SMOOTH:
        expect_derivative(learner, function, x)


@check("diff", points=1)
def test_diff_large_values(learner):
    """diff stays accurate where the function's value is large (a step that is too small fails here)"""
    for function, x in LARGE:
        expect_derivative(learner, function, x)
