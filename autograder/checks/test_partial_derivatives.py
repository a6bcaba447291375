"""Hidden checks for lesson 3: partial derivatives.

Same tolerance as lesson 2 (relative 1e-4): it accepts forward and central differences with sensible
steps and rejects a step of 1e-12 or a forward step of 1e-3.

`mystery3` takes coefficients this module chooses, so a table of exact partials for the functions diffp
recognises cannot pass. Each check tries the last argument first (idx 2 before 0 and 1): there, nudging
the first argument and nudging the one before idx give different answers, so either mistake is singled
out where it first fails (tests/test_diagnostics.py proves this for every variant below).
"""

from functools import partial

import numpy as np

from solutions import partial_derivatives as ref

from ..learner import describe_call
from ..worker.plain import TestFn
from . import Fail, check
from .compare import expect_close, number
from .diagnose import Mistake, likely
from .quotients import evaluations, quotient_hint

LESSON = "03-partial-derivatives"
RTOL, ATOL = 1e-4, 1e-6

SHARED = (
    "diffp returned 0 for an array argument: `plus[idx] += delta` changes the one array that both copies "
    "of the arguments (and the caller) share, so fn sees the same values twice. Build the nudged values as "
    "new ones: `args[idx] + delta`, `args[idx] - delta`."
)

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
    Mistake(SHARED, lambda fn, idx, *args: 0.0 if isinstance(args[idx], np.ndarray) else None),
]

NOT_NUDGED = (
    "diffp never evaluated fn with args[idx] changed, so its answer does not come from fn's values: a "
    "numeric partial derivative must, for any fn (an exact formula for a function it recognises is not "
    "numeric differentiation). Evaluate fn at a new list of arguments with args[idx] + delta in place."
)
OTHER_ARGUMENT = "diffp nudged args[{moved}], not args[idx] = args[{idx}]: nudge the argument `idx` names."


def data():
    rng = np.random.default_rng(303)
    X = rng.random((12, 1))
    return X, 1.0 + 2.0 * X


# (test function, its coefficients, idx, args): the inputs of each check, in the order they are tried.
MYSTERY3 = ("mystery3", (0.9, -1.6, 2.2))
EVERY_ARGUMENT = [
    *((("mixed3", ()), idx, (1.5, -0.7, 2.0)) for idx in (2, 0, 1)),
    *((("mixed3", ()), idx, (-2.0, 3.0, 0.5)) for idx in (2, 0, 1)),
    *((MYSTERY3, idx, (0.6, -1.1, 1.4)) for idx in (2, 0, 1)),
]
LINE = [(("line_y", ()), idx, (2.5, -1.0, 4.0)) for idx in (2, 0, 1)]
LARGE = [
    (("mixed3", ()), 2, (30.0, 12.0, 9.0)),
    (("five_x1_plus_x2_squared", ()), 0, (10.0, 20.0)),
    (("five_x1_plus_x2_squared", ()), 1, (10.0, 20.0)),
    (("mixed3", ()), 0, (30.0, 12.0, 9.0)),
]
ARRAYS = [
    (("error_of_line", ()), 2, (*data(), np.array([0.5]), 0.25)),
    (("error_of_line", ()), 3, (*data(), 0.5, np.array([0.25]))),
]
CASES = {
    "test_diffp_every_argument": EVERY_ARGUMENT,
    "test_diffp_line": LINE,
    "test_diffp_large_values": LARGE,
    "test_diffp_leaves_arrays_alone": ARRAYS,
}


def point_of(args):
    """The arguments as the trace records them: numbers as floats, arrays of several numbers as None."""
    out = []
    for a in args:
        size1 = isinstance(a, np.ndarray) and a.size == 1
        out.append(float(a.reshape(())) if size1 else None if isinstance(a, np.ndarray) else float(a))
    return out


def diffp_hint(learner, fn, idx, args, got, want):
    """A catalogued mistake that explains `got`, else what diffp's own evaluations of fn explain."""
    named = likely(MISTAKES, got, (fn, idx, *args), want=want)
    if named:
        return named
    try:
        _, calls = learner.traced("diffp", fn, idx, *args)
    except Fail:
        return None
    if calls is None:
        return None
    point = point_of(args)
    found = evaluations(calls, fn.name, point, nparams=len(fn.params))
    moved = [p for p in found if p is not None]
    if not moved:
        return NOT_NUDGED
    if idx not in moved:
        return OTHER_ARGUMENT.format(moved=moved[0], idx=idx) if len(moved) == 1 else None
    if point[idx] is None:
        return None
    scale = max(1.0, abs(point[idx]))
    return quotient_hint(got, want, found[idx] + found.get(None, []), scale)


def expect_partial(learner, function, idx, args):
    name, params = function
    fn = TestFn(name, *params)
    call = describe_call("diffp", (fn, idx, *args), {})
    got = number(learner.diffp(fn, idx, *args), call)
    want = ref.diffp(fn, idx, *args)
    hint = partial(diffp_hint, learner, fn, idx, args, got)
    expect_close(got, want, call, rtol=RTOL, atol=ATOL, hint=hint)


@check("diffp", points=1)
def test_diffp_every_argument(learner):
    """diffp differentiates with respect to the argument `idx` names, whichever it is, for any function"""
    for function, idx, args in EVERY_ARGUMENT:
        expect_partial(learner, function, idx, args)


@check("diffp", points=1)
def test_diffp_line(learner):
    """diffp gives the slope, intercept and input partials of a line"""
    for function, idx, args in LINE:
        expect_partial(learner, function, idx, args)


@check("diffp", points=1)
def test_diffp_large_values(learner):
    """diffp stays accurate where the function's value is large (a step that is too small fails here)"""
    for function, idx, args in LARGE:
        expect_partial(learner, function, idx, args)


@check("diffp", points=1)
def test_diffp_leaves_arrays_alone(learner):
    """diffp does not change the caller's arrays (no `args[idx] += delta` on an array)"""
    for function, idx, args in ARRAYS:
        expect_partial(learner, function, idx, args)
