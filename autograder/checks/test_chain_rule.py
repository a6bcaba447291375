"""Hidden checks for lesson 4: the chain rule.

chain_diff multiplies two numeric derivatives, so its tolerance is twice lesson 2's (relative 2e-4).

A right number is not enough: the composite outer(inner(x)) can be differentiated numerically as one
block, which skips the lesson's idea. `test_chain_diff_local_derivatives` watches which values `outer` is
called at (a traced call, worker/trace.py): the shortcut only ever calls it at values `inner` returned,
while the chain rule evaluates outer near t = inner(x). It is worth as much as the accuracy checks
together, so the shortcut earns at most half of chain_diff's points.

Probe pairs avoid outer/inner pairs that commute (cube and sq give x**6 either way), so that every
catalogued mistake gives a clearly different value (tests/test_chain_probes.py).
"""

from functools import partial

from solutions import chain_rule as ref

from ..worker.plain import TestFn
from . import Fail, check
from .compare import expect_close, number
from .diagnose import Mistake, likely

LESSON = "04-chain-rule"
RTOL, ATOL = 2e-4, 1e-6


def d(fn, x):
    return ref.diff(fn, x)


MISTAKES = [
    Mistake(
        "outer's derivative is taken at x: take it at t = inner(x), where outer is actually evaluated.",
        lambda outer, inner, x: d(outer, x) * d(inner, x),
    ),
    Mistake(
        "outer and inner are swapped: the chain is outer(inner(x)), so inner runs first.",
        lambda outer, inner, x: d(inner, outer(x)) * d(outer, x),
    ),
    Mistake(
        "the local derivatives are added: the chain rule multiplies them.",
        lambda outer, inner, x: d(outer, inner(x)) + d(inner, x),
    ),
    Mistake(
        "missing the factor inner'(x): multiply outer'(inner(x)) by the derivative of inner at x.",
        lambda outer, inner, x: d(outer, inner(x)),
    ),
    Mistake(
        "missing the factor outer'(inner(x)): multiply inner'(x) by the derivative of outer at inner(x).",
        lambda outer, inner, x: d(inner, x),
    ),
]


POLYNOMIALS = (("sq", "quartic", 1.2), ("quartic", "sq", 1.2), ("cube", "quartic", -0.6))
ORDER = (("sin", "exp", 0.6), ("exp", "sin", 0.6), ("sin", "sq", 2.0))
LARGE = (("cube", "quartic", 5.0), ("exp", "cube", 1.7))


def expect_chain(learner, outer, inner, x):
    call = f"chain_diff({outer}, {inner}, {x})"
    args = (TestFn(outer), TestFn(inner), x)
    got = number(learner.chain_diff(*args), call)
    hint = partial(likely, MISTAKES, got, args)
    expect_close(got, ref.chain_diff(*args), call, rtol=RTOL, atol=ATOL, hint=hint)


@check("chain_diff", points=1)
def test_chain_diff_polynomials(learner):
    """chain_diff is right for compositions of polynomials"""
    for outer, inner, x in POLYNOMIALS:
        expect_chain(learner, outer, inner, x)


@check("chain_diff", points=1)
def test_chain_diff_order_matters(learner):
    """chain_diff takes outer'(inner(x)), not outer'(x) or inner'(outer(x))"""
    for outer, inner, x in ORDER:
        expect_chain(learner, outer, inner, x)


@check("chain_diff", points=1)
def test_chain_diff_large_values(learner):
    """chain_diff stays accurate where the values are large"""
    for outer, inner, x in LARGE:
        expect_chain(learner, outer, inner, x)


COMPOSITE = (
    "the composite {outer}({inner}(x)) is differentiated as one block, which skips the chain rule: take "
    "two local derivatives, {outer}'s at t = {inner}(x) and {inner}'s at x, and multiply them."
)


def outer_points(calls, outer, inner):
    """Where `outer` was evaluated, and whether every one of those points is a value `inner` returned."""
    points = [c[1][0] for c in calls if c[0] == outer and c[1]]
    returned = {c[2] for c in calls if c[0] == inner}
    return points, bool(points) and all(p in returned for p in points)


@check("chain_diff", points=3)
def test_chain_diff_local_derivatives(learner):
    """chain_diff multiplies two local derivatives: outer's at t = inner(x), inner's at x"""
    for outer, inner, x in (("exp", "sin", 0.6), ("cube", "quartic", 0.7)):
        call = f"chain_diff({outer}, {inner}, {x})"
        _, calls = learner.traced("chain_diff", TestFn(outer), TestFn(inner), x)
        if calls is None:
            raise Fail(f"{call}: the grader could not observe where {outer} and {inner} were evaluated.")
        points, composite = outer_points(calls, outer, inner)
        if not points or not any(c[0] == inner for c in calls):
            raise Fail(
                f"{call} never called `{outer}` or `{inner}`: chain_diff must work for any two functions, "
                "so it has to evaluate them (through diff)."
            )
        if composite:
            raise Fail(
                f"{call} only ever called `{outer}` at values that `{inner}` returned.\nLikely mistake: "
                + COMPOSITE.format(outer=outer, inner=inner)
            )
