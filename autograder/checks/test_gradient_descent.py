"""Hidden checks for lesson 5: gradient descent on a line.

`error` is exact arithmetic, so it is compared to relative 1e-9. `grad_fit` is compared after one and two
steps (so an off-by-one in the epochs or a wrong update shows plainly) and after full runs with varied
arguments. Tolerances accept the exact gradient and numeric gradients from diffp with forward steps from
1e-9 to 1e-5 or central steps from 1e-8 to 1e-3; see tests/test_catalogue.py for the measured margins.
"""

from functools import cache

import numpy as np

from solutions import gradient_descent as ref

from ..learner import describe_call
from . import Fail, check
from .compare import expect_close, number, numbers

LESSON = "05-gradient-descent"
# Measured (tests/test_catalogue.py): correct styles deviate at most 2.5e-6 from the reference, the
# catalogued mistakes at least 1.2e-3, so 5e-5 sits well inside both margins.
RTOL = 5e-5


@cache
def data(n=30, seed=505):
    """Hidden data: the lesson's recipe with another seed and size."""
    rng = np.random.default_rng(seed)
    X = 2 * rng.random((n, 1))
    y = 4 + 3 * X + 0.3 * rng.standard_normal((n, 1))
    return X, y


def expect_error(learner, m, c, X, y):
    call = describe_call("error", (m, c, X, y), {})
    expect_close(number(learner.error(m, c, X, y), call), ref.error(m, c, X, y), call, rtol=1e-9)


def expect_fit(learner, *args, **kwargs):
    call = describe_call("grad_fit", args, kwargs)
    result = learner.outcome("grad_fit", *args, **kwargs)
    if result.mutated:
        raise Fail(f"{call} changed the caller's X or y; work on copies or new arrays.")
    if result.error is not None:
        raise Fail(f"{call} raised {result.error}")
    got = numbers(result.value, 2, call)
    expect_close(got, ref.grad_fit(*args, **kwargs), f"{call} (m, c)", rtol=RTOL)


@check("error", points=1)
def test_error_small_example(learner):
    """error sums the squared residuals of a few points"""
    expect_error(learner, 3, 4, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]))
    expect_error(learner, -0.5, 2.0, np.array([0.0, 1.0, -2.0, 4.0]), np.array([1.5, -1.0, 0.25, 2.0]))


@check("error", points=1)
def test_error_data(learner):
    """error is the sum (not the mean) of squared residuals on the data"""
    X, y = data()
    for m, c in ((3.0, 4.0), (2.5, 4.4), (0.0, 0.0)):
        expect_error(learner, m, c, X, y)


@check("error", points=1)
def test_error_mixed_shapes(learner):
    """error treats X and y as n points whether they are shaped (n,) or (n, 1)"""
    X, y = data()
    expect_error(learner, 2.5, 4.4, X, y.ravel())
    expect_error(learner, 2.5, 4.4, X.ravel(), y)


@check("grad_fit", points=1)
def test_grad_fit_one_step(learner):
    """grad_fit with epochs=1 takes exactly one simultaneous step downhill"""
    X, y = data()
    expect_fit(learner, X, y, 0.5, -0.3, 0.002, 1)
    expect_fit(learner, X, y, m=2.0, c=1.0, learning_rate=0.004, epochs=1)


@check("grad_fit", points=1)
def test_grad_fit_two_steps(learner):
    """grad_fit with epochs=2 takes exactly two steps"""
    X, y = data()
    expect_fit(learner, X, y, 1.0, 3.0, 0.003, 2)


@check("grad_fit", points=1)
def test_grad_fit_defaults(learner):
    """grad_fit with its default arguments fits the data"""
    X, y = data()
    expect_fit(learner, X, y)


@check("grad_fit", points=1)
def test_grad_fit_arguments(learner):
    """grad_fit uses the learning rate, the number of epochs and the starting point it is given"""
    X, y = data(n=40, seed=515)
    expect_fit(learner, X, y, m=-1.0, c=6.0, learning_rate=0.0015, epochs=37)
    expect_fit(learner, X, y, 4.0, 0.5, 0.0005, 60)
