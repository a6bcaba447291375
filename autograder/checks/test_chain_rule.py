"""Hidden checks for lesson 4: the chain rule.

chain_diff multiplies two numeric derivatives, so its tolerance is twice lesson 2's (relative 2e-4).
"""

from solutions import chain_rule as ref

from ..worker.plain import TestFn
from . import check
from .compare import expect_close, number

LESSON = "04-chain-rule"
RTOL, ATOL = 2e-4, 1e-6


def expect_chain(learner, outer, inner, x):
    call = f"chain_diff({outer}, {inner}, {x})"
    got = number(learner.chain_diff(TestFn(outer), TestFn(inner), x), call)
    expect_close(got, ref.chain_diff(TestFn(outer), TestFn(inner), x), call, rtol=RTOL, atol=ATOL)


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
