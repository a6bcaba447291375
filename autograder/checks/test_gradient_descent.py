"""Hidden checks for lesson 5: gradient descent on a line.

`error` is exact arithmetic, so it is compared to relative 1e-9. `grad_fit` is compared after one and two
steps (so an off-by-one in the epochs or a wrong update shows plainly) and after full runs with varied
arguments. Tolerances accept the exact gradient and numeric gradients from diffp with forward steps from
1e-9 to 1e-5 or central steps from 1e-8 to 1e-3; see tests/test_catalogue.py for the measured margins.
"""

from functools import cache, partial

import numpy as np

from solutions import gradient_descent as ref

from ..learner import describe_call
from . import check
from .compare import expect_close, number, numbers
from .diagnose import Mistake, as_keywords, likely

LESSON = "05-gradient-descent"
# Measured (tests/test_catalogue.py): correct styles deviate at most 2.5e-6 from the reference, the
# catalogued mistakes at least 1.2e-3, so 5e-5 sits well inside both margins.
RTOL = 5e-5


def flat_residual(m, c, X, y):
    return m * np.ravel(X) + c - np.ravel(y)


ERROR_MISTAKES = [
    Mistake(
        "error takes the mean of the squared residuals: the lesson's error is their sum.",
        lambda m, c, X, y: np.mean(flat_residual(m, c, X, y) ** 2),
    ),
    Mistake(
        "an (n, 1) array minus an (n,) array broadcasts to an (n, n) matrix: flatten X and y first "
        "(np.ravel).",
        lambda m, c, X, y: np.sum((m * X + c - y) ** 2),
    ),
    Mistake(
        "the residuals are summed without squaring them.",
        lambda m, c, X, y: np.sum(flat_residual(m, c, X, y)),
    ),
    Mistake(
        "error sums absolute residuals: square them instead.",
        lambda m, c, X, y: np.sum(np.abs(flat_residual(m, c, X, y))),
    ),
    Mistake(
        "error squares the sum of the residuals: square each residual, then sum.",
        lambda m, c, X, y: np.sum(flat_residual(m, c, X, y)) ** 2,
    ),
]


def fit(
    X,
    y,
    m=0.0,
    c=0.0,
    learning_rate=0.001,
    epochs=100,
    *,
    sequential=False,
    sign=1.0,
    extra=0,
    scale=2.0,
    rate=None,
    start=None,
):
    """Gradient descent on the line, with knobs that reproduce common mistakes (defaults: correct)."""
    x, t = np.ravel(X), np.ravel(y)
    m, c = start if start is not None else (m, c)
    rate = learning_rate if rate is None else rate
    for _ in range(epochs + extra):
        r = m * x + c - t
        m_new = m - sign * rate * scale * np.sum(r * x)
        if sequential:
            r = m_new * x + c - t
        c = c - sign * rate * scale * np.sum(r)
        m = m_new
    return m, c


def fit_mistake(hint, **knobs):
    return Mistake(hint, lambda *args, **kwargs: fit(*args, **kwargs, **knobs))


FIT_MISTAKES = [
    fit_mistake(
        "m is updated before c's gradient is computed: compute both gradients from the old m and c, "
        "then update both at once.",
        sequential=True,
    ),
    fit_mistake("the update moves uphill: subtract learning_rate * gradient; check the sign.", sign=-1.0),
    fit_mistake("one step too many: run exactly `epochs` steps, `for _ in range(epochs)`.", extra=1),
    fit_mistake("one step too few: run exactly `epochs` steps, `for _ in range(epochs)`.", extra=-1),
    fit_mistake("the gradient is missing the factor 2 from d(r**2)/dr = 2r.", scale=1.0),
    fit_mistake("the learning rate you were given is ignored: use the `learning_rate` argument.", rate=0.001),
    fit_mistake(
        "the starting m and c you were given are ignored: start from the `m` and `c` arguments.",
        start=(0.0, 0.0),
    ),
    Mistake(
        "the gradient is of the mean error, not of the sum: `error` is a sum, so its gradient is too.",
        lambda X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100: fit(
            X, y, m, c, learning_rate / np.size(X), epochs
        ),
    ),
    Mistake("grad_fit returns (c, m): return (m, c), in that order.", lambda *a, **k: fit(*a, **k)[::-1]),
]


@cache
def data(n=30, seed=505):
    """Hidden data: the lesson's recipe with another seed and size."""
    rng = np.random.default_rng(seed)
    X = 2 * rng.random((n, 1))
    y = 4 + 3 * X + 0.3 * rng.standard_normal((n, 1))
    return X, y


def expect_error(learner, m, c, X, y):
    call = describe_call("error", (m, c, X, y), {})
    got = number(learner.error(m, c, X, y), call)
    hint = partial(likely, ERROR_MISTAKES, got, (m, c, X, y))
    expect_close(got, ref.error(m, c, X, y), call, rtol=1e-9, hint=hint)


def expect_fit(learner, *args, **kwargs):
    call = describe_call("grad_fit", args, kwargs)
    got = numbers(learner.grad_fit(*args, **kwargs), 2, call)
    hint = partial(likely, FIT_MISTAKES, got, (), as_keywords(ref.grad_fit, args, kwargs))
    expect_close(got, ref.grad_fit(*args, **kwargs), f"{call} (m, c)", rtol=RTOL, hint=hint)


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
