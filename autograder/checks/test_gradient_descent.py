"""Hidden checks for lesson 5: gradient descent on a line.

`error` is exact arithmetic, so it is compared to relative 1e-9. `grad_fit` is compared after one and two
steps (so an off-by-one in the epochs or a wrong update shows plainly) and after full runs with varied
arguments. Tolerances accept the exact gradient and numeric gradients from diffp with forward steps from
1e-9 to 1e-5 or central steps from 1e-8 to 1e-3; see tests/test_catalogue.py for the measured margins.

A wrong grad_fit is diagnosed from behaviour in two steps. First it is called again with the epochs, the
learning rate and the start changed one at a time: an answer that does not move names the argument that
is ignored, and one that ignores all three while sitting on the least-squares line names np.polyfit and
its kin, which skip the lesson's idea. Then the answer is compared with the update-rule variants
(FIT_MISTAKES); inputs keep each variant apart wherever it first fails (tests/test_diagnostics.py).
"""

from functools import cache, partial

import numpy as np

from solutions import gradient_descent as ref

from ..learner import describe_call
from . import Fail, check
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
    Mistake(
        "error halves the sum of squares: some texts use 1/2 * sum(r ** 2) for a tidier gradient, but this "
        "lesson's error is the plain sum.",
        lambda m, c, X, y: 0.5 * np.sum(flat_residual(m, c, X, y) ** 2),
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
    swapped=False,
    add_gradient=False,
    slope_sum_mean=False,
):
    """Gradient descent on the line, with knobs that reproduce common mistakes (defaults: correct)."""
    x, t = np.ravel(X), np.ravel(y)
    for _ in range(epochs + extra):
        r = (c * x + m - t) if swapped else (m * x + c - t)
        dm = scale * (np.sum(x) * np.mean(r) if slope_sum_mean else np.sum(r * x))
        m_new = m - learning_rate + dm if add_gradient else m - sign * learning_rate * dm
        if sequential:
            r = m_new * x + c - t
        dc = scale * np.sum(r)
        c = c - learning_rate + dc if add_gradient else c - sign * learning_rate * dc
        m = m_new
    return m, c


def least_squares(X, y, **_):
    """The line that minimises the error outright, as np.polyfit or np.linalg.lstsq give it."""
    slope, intercept = np.polyfit(np.ravel(X), np.ravel(y), 1)
    return slope, intercept


def fit_mistake(hint, **knobs):
    return Mistake(hint, lambda *args, **kwargs: fit(*args, **kwargs, **knobs))


CLOSED_FORM = (
    "grad_fit returns the least-squares line itself, whatever learning_rate, epochs, m and c it is given "
    "(as np.polyfit, np.linalg.lstsq or the normal equations do): the exercise is gradient descent, "
    "`epochs` steps of size `learning_rate` downhill from the given m and c."
)

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
    fit_mistake(
        "the gradient is taken at (c, m) instead of (m, c): m and c are swapped where the gradient (or "
        "error) is called; pass them in the order the function expects.",
        swapped=True,
    ),
    fit_mistake(
        "the update adds the gradient to `m - learning_rate`: multiply instead, "
        "`m - learning_rate * dE_dm` (and the same for c).",
        add_gradient=True,
    ),
    fit_mistake(
        "the slope's gradient uses sum(x) * mean(residual): each residual must be weighted by its own x, "
        "dE/dm = 2 * sum(x * residual).",
        slope_sum_mean=True,
    ),
    Mistake(
        "the gradient is of the mean error, not of the sum: `error` is a sum, so its gradient is too.",
        lambda X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100: fit(
            X, y, m, c, learning_rate / np.size(X), epochs
        ),
    ),
    Mistake("grad_fit returns (c, m): return (m, c), in that order.", lambda *a, **k: fit(*a, **k)[::-1]),
    Mistake(CLOSED_FORM, least_squares),
]

IGNORED = {
    "learning_rate": "the learning rate you were given is ignored: use the `learning_rate` argument.",
    "epochs": "the number of epochs you were given is ignored: run `for _ in range(epochs)`.",
    "start": "the starting m and c you were given are ignored: start from the `m` and `c` arguments.",
}


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
    hint = partial(likely, ERROR_MISTAKES, got, (m, c, X, y), rtol=1e-6)
    expect_close(got, ref.error(m, c, X, y), call, rtol=1e-9, hint=hint)


def same(a, b, rtol=1e-12):
    """Equal up to round-off (no allowance for diverged values, unlike diagnose.distance)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(np.all(np.abs(a - b) <= rtol * np.abs(b)))


def ignored_arguments(learner, named, got):
    """Which of learning_rate, epochs and the start grad_fit ignores: call it again with each one changed.

    Honest descent always moves further in one more epoch (and a diverged one that got stuck where the
    numeric gradient vanishes still differs after a single epoch). The learning-rate and start probes use a
    rate 1000 times smaller, so that even many hard-coded epochs cannot converge and forget the start.
    """
    X, y, m, c, rate, epochs = (named[k] for k in ("X", "y", "m", "c", "learning_rate", "epochs"))

    def run(*args):
        return numbers(learner.grad_fit(X, y, *args), 2, "grad_fit")

    slow = run(m, c, rate * 1e-3, epochs)
    found = {
        "epochs": same(run(m, c, rate, epochs + 1), got)
        and same(run(m, c, rate, 1 if epochs > 1 else 2), got),
        "learning_rate": same(slow, got),
        "start": same(run(m + 0.5, c - 0.5, rate * 1e-3, epochs), slow),
    }
    return [k for k, v in found.items() if v]


def fit_hint(learner, named, got, want):
    """Arguments the answer does not depend on, else a catalogued mistake that explains the answer."""
    try:
        ignored = ignored_arguments(learner, named, got)
    except Fail:
        ignored = []
    if len(ignored) == 3:
        return CLOSED_FORM if same(least_squares(named["X"], named["y"]), got, rtol=1e-8) else None
    if ignored:
        return " ".join(
            IGNORED[k][0].upper() + IGNORED[k][1:] if i else IGNORED[k] for i, k in enumerate(ignored)
        )
    return likely(FIT_MISTAKES, got, (), named, rtol=1e-4, want=want)


def expect_fit(learner, *args, **kwargs):
    call = describe_call("grad_fit", args, kwargs)
    got = numbers(learner.grad_fit(*args, **kwargs), 2, call)
    named = as_keywords(ref.grad_fit, args, kwargs)
    hint = partial(fit_hint, learner, named, got)
    expect_close(got, ref.grad_fit(*args, **kwargs), f"{call} (m, c)", rtol=RTOL, hint=hint)


SMALL = (
    (3.0, 4.0, np.array([1.0, 2.0, 3.0]), np.array([8.0, 8.0, 12.5])),
    (-0.5, 2.0, np.array([0.0, 1.0, -2.0, 4.0]), np.array([1.5, -1.0, 0.25, 2.0])),
)


def on_data(*lines, n=30, seed=505, shape=lambda X, y: (X, y)):
    return tuple((m, c, *shape(*data(n, seed))) for m, c in lines)


# The inputs of each check, in the order they are tried: (m, c, X, y) for error, (args, kwargs) for grad_fit.
ERROR_CASES = {
    "test_error_small_example": SMALL,
    "test_error_data": on_data((3.0, 4.0), (2.5, 4.4), (0.0, 0.0)),
    "test_error_mixed_shapes": (
        *on_data((2.5, 4.4), shape=lambda X, y: (X, y.ravel())),
        *on_data((2.5, 4.4), shape=lambda X, y: (X.ravel(), y)),
    ),
}
FIT_CASES = {
    "test_grad_fit_one_step": (
        ((*data(), 0.5, -0.3, 0.002, 1), {}),
        (data(), dict(m=2.0, c=1.0, learning_rate=0.004, epochs=1)),
    ),
    "test_grad_fit_two_steps": (((*data(), 1.0, 3.0, 0.003, 2), {}),),
    "test_grad_fit_defaults": ((data(), {}),),
    "test_grad_fit_arguments": (
        (data(40, 515), dict(m=-1.0, c=6.0, learning_rate=0.0015, epochs=37)),
        ((*data(40, 515), 4.0, 0.5, 0.0005, 60), {}),
    ),
}


@check("error", points=1)
def test_error_small_example(learner):
    """error sums the squared residuals of a few points"""
    for case in ERROR_CASES["test_error_small_example"]:
        expect_error(learner, *case)


@check("error", points=1)
def test_error_data(learner):
    """error is the sum (not the mean) of squared residuals on the data"""
    for case in ERROR_CASES["test_error_data"]:
        expect_error(learner, *case)


@check("error", points=1)
def test_error_mixed_shapes(learner):
    """error treats X and y as n points whether they are shaped (n,) or (n, 1)"""
    for case in ERROR_CASES["test_error_mixed_shapes"]:
        expect_error(learner, *case)


@check("grad_fit", points=1)
def test_grad_fit_one_step(learner):
    """grad_fit with epochs=1 takes exactly one simultaneous step downhill"""
    for args, kwargs in FIT_CASES["test_grad_fit_one_step"]:
        expect_fit(learner, *args, **kwargs)


@check("grad_fit", points=1)
def test_grad_fit_two_steps(learner):
    """grad_fit with epochs=2 takes exactly two steps"""
    for args, kwargs in FIT_CASES["test_grad_fit_two_steps"]:
        expect_fit(learner, *args, **kwargs)


@check("grad_fit", points=1)
def test_grad_fit_defaults(learner):
    """grad_fit with its default arguments fits the data"""
    for args, kwargs in FIT_CASES["test_grad_fit_defaults"]:
        expect_fit(learner, *args, **kwargs)


@check("grad_fit", points=1)
def test_grad_fit_arguments(learner):
    """grad_fit uses the learning rate, the number of epochs and the starting point it is given"""
    for args, kwargs in FIT_CASES["test_grad_fit_arguments"]:
        expect_fit(learner, *args, **kwargs)
