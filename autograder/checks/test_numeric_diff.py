"""Hidden checks for lesson 2: numeric differentiation.

Tolerance: relative 1e-4 (plus 1e-6 absolute near zero). Central differences with a step from 1e-8 to
1e-3 and forward differences with a step from 1e-9 to 1e-5 all land well inside it on these inputs; the
seed's step of 1e-12, or a step of 1e-2, lands outside it.
"""

from solutions import numeric_diff as ref

from ..worker.plain import TestFn
from . import check
from .compare import expect_close, number

LESSON = "02-numeric-diff"
RTOL, ATOL = 1e-4, 1e-6


def expect_derivative(learner, name, x):
    call = f"diff({name}, {x})"
    got = number(learner.diff(TestFn(name), x), call)
    expect_close(got, ref.diff(TestFn(name), x), call, rtol=RTOL, atol=ATOL)


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
