"""Hidden checks for lesson 4: the chain rule.

chain_diff multiplies two numeric derivatives, so its tolerance is twice lesson 2's (relative 2e-4).
"""

from functools import partial

from solutions import chain_rule as ref

from ..worker.plain import TestFn
from . import check
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


def expect_chain(learner, outer, inner, x):
    call = f"chain_diff({outer}, {inner}, {x})"
    args = (TestFn(outer), TestFn(inner), x)
    got = number(learner.chain_diff(*args), call)
    hint = partial(likely, MISTAKES, got, args)
    expect_close(got, ref.chain_diff(*args), call, rtol=RTOL, atol=ATOL, hint=hint)


@check("chain_diff", points=1)
def test_chain_diff_polynomials(learner):
    """chain_diff is right for compositions of polynomials"""
    for outer, inner, x in (("cube", "sq", 1.5), ("sq", "cube", -0.8), ("quartic", "sq", 1.2)):
        expect_chain(learner, outer, inner, x)


@check("chain_diff", points=1)
def test_chain_diff_order_matters(learner):
    """chain_diff takes outer'(inner(x)), not outer'(x) or inner'(outer(x))"""
    for outer, inner, x in (("sin", "exp", 0.6), ("exp", "sin", 0.6), ("sin", "sq", 2.0)):
        expect_chain(learner, outer, inner, x)


@check("chain_diff", points=1)
def test_chain_diff_large_values(learner):
    """chain_diff stays accurate where the values are large"""
    for outer, inner, x in (("cube", "sq", 6.0), ("exp", "cube", 1.7)):
        expect_chain(learner, outer, inner, x)
