"""Hidden checks for lesson 7: a dense layer forward and backward, the mean squared error, and
numerical_gradient.

Shapes come first. Every array is checked against the shape it must have before its values, with N, D and
M all different, so a transposed product or a bias gradient summed over the wrong axis (or not at all, or
kept as (1, M)) shows as a wrong shape, and is named only when the values confirm it (db of shape (N, M)
equal to dout is "not summed"). A square layer (N = D = M) follows, where those mistakes have the right
shape and are told apart by value.

dense_forward and dense_backward run in the worker through named programs (worker/programs/layers.py):
the cache is the learner's own object, so backward gets the learner's own forward's cache, and only the
arrays come back. The programs hand the learner's functions copies of X, W, b and dout, so a change made
in place is reported in the learner's terms ("dense_backward(...) changed dout in place").

Tolerances (measured on tests/catalogue.py's rows against these very inputs):
- dense_forward, dense_backward, mse_loss: exact arithmetic. Correct styles (matmul, np.dot, einsum,
  Python loops, per-sample outer products, keepdims then reshape) deviate from the reference by at most
  2.4e-15 relative; the nearest catalogued mistake by 0.5 (dpred without its factor 2). RTOL = 1e-9.
- numerical_gradient is compared with the reference's central differences at the same h, elementwise
  within NUMERIC_ATOL + NUMERIC_RTOL * |want| (1e-8 + 1e-7 |want|). The correct styles (np.ndindex,
  np.nditer, a copy per element, a flat view) evaluate f at the very same points and agree bit for bit
  (measured deviation 0); the nearest mistake, a one-sided difference with the given h = 1e-5, is off by
  1.6e-5 to 6e-5 of (0.1 + |want|), 160 times the tolerance or more; ignoring h (central, 1e-5) is off by
  8e-4 at h = 1e-2 and 1e-3. Hints among numeric variants are named only when one explains the answer
  to 1e-8 (norm-relative) and every rival, the correct answer included, is 10 times farther.

The test functions take coefficients this module chooses (worker/testfns.py), and the program hands A
over as a copy and returns what numerical_gradient left in it: an element left nudged (off by about h)
and one put back by + h, - 2h, + h (off by round-off; 7 of the 20 elements of the restore check's A,
3 of 6 of the vector's) are named apart.
"""

import math
from functools import cache

import numpy as np

from solutions import layers as ref

from ..learner import describe_call
from ..worker.plain import TestFn
from . import Fail, check
from .compare import number, wrong_value
from .diagnose import APART

LESSON = "07-layers"
RTOL, ATOL = 1e-9, 1e-12
NUMERIC_RTOL, NUMERIC_ATOL = 1e-7, 1e-8


@cache
def layer(N, D, M, seed):
    """Hidden inputs of one dense layer: X (N, D), W (D, M), b (M,), and an upstream gradient dout (N, M)."""
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((N, D)),
        rng.standard_normal((D, M)),
        rng.standard_normal(M),
        rng.standard_normal((N, M)),
    )


def close(got, want, rtol=RTOL, atol=ATOL):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.all(np.abs(got - want) <= atol + rtol * np.abs(want)))


def gap(got, candidate):
    """How far `got` is from `candidate`, relative to the candidate's size (Euclidean norms)."""
    got, candidate = np.asarray(got, dtype=float), np.asarray(candidate, dtype=float)
    if got.shape != candidate.shape or not np.all(np.isfinite(got)) or not np.all(np.isfinite(candidate)):
        return math.inf
    size = float(np.linalg.norm(candidate))
    return float(np.linalg.norm(got - candidate)) / size if size else float(np.linalg.norm(got))


def singled_out(got, candidates, want, rtol):
    """The hint of the one candidate answer within `rtol` of `got` when every other candidate, and the
    correct answer, are at least APART times farther (diagnose.single_out's rule, in norms); else None."""
    scored = sorted((gap(got, answer), hint) for hint, answer in candidates if answer is not None)
    if not scored or scored[0][0] > rtol:
        return None
    best, hint = scored[0]
    others = [g for g, h in scored[1:] if h != hint] + [gap(got, want)]
    return hint if all(g >= APART * max(best, rtol) for g in others) else None


def fail_value(got, want, what, likely=None, advice=None, rtol=RTOL):
    raise Fail(wrong_value(got, want, what, rtol, likely=likely, advice=advice))


# --- dense_forward ------------------------------------------------------------------------------------------
FORWARD_ADVICE = "compute X @ W + b by hand for one sample of a 1 x 2 layer, and compare."
FORWARD_MISTAKES = [
    ("the bias b is missing: out = X @ W + b.", lambda X, W, b: X @ W),
    ("b is subtracted: out = X @ W + b.", lambda X, W, b: X @ W - b),
]
MATMUL = ("matmul", "not aligned", "could not be broadcast")
FORWARD_SHAPES = (
    "the shapes must fit: X is (N, D) and W is (D, M), so X @ W is (N, M), one row per sample, and b, "
    "shape (M,), adds to every row as it is."
)


def program(learner, name, *args, advice=None):
    """Run a check program; a failure that is a shape mismatch in a product gets `advice` as the next step."""
    try:
        return learner.program(name, *args)
    except Fail as failure:
        text = str(failure)
        if advice and "Likely mistake:" not in text and any(m in text for m in MATMUL):
            raise Fail(f"{text}\nNext step: {advice}") from None
        raise


def expect_forward(learner, X, W, b):
    what = f"The out of {describe_call('dense_forward', (X, W, b), {})}"
    got = program(learner, "dense_forward_out", X, W, b, advice=FORWARD_SHAPES)
    want, _ = ref.dense_forward(X, W, b)
    if got.shape != want.shape:
        N, M = want.shape
        if got.shape == (M, N) and close(got.T, want):
            likely = "out is transposed, shape (M, N): X @ W + b has one row per sample, shape (N, M)."
            raise Fail(f"{what} has shape {got.shape}.\nLikely mistake: {likely}")
        raise Fail(f"{what} has shape {got.shape}; it should be (N, M) = {want.shape}, one row per sample.")
    if not close(got, want):
        candidates = [(hint, answer(X, W, b)) for hint, answer in FORWARD_MISTAKES]
        fail_value(got, want, what, singled_out(got, candidates, want, 1e-6), FORWARD_ADVICE)


@check("dense_forward", points=1)
def test_dense_forward_batch(learner):
    """dense_forward computes X @ W + b for a batch of samples, one row per sample"""
    for shape in ((5, 3, 4), (7, 2, 6)):
        X, W, b, _ = layer(*shape, seed=701)
        expect_forward(learner, X, W, b)


@check("dense_forward", points=1)
def test_dense_forward_edge_shapes(learner):
    """dense_forward works for one sample, one output, and lesson 6's 1 x 1 neuron"""
    for shape in ((1, 3, 2), (6, 2, 1), (20, 1, 1)):
        X, W, b, _ = layer(*shape, seed=702)
        expect_forward(learner, X, W, b)


# --- mse_loss -----------------------------------------------------------------------------------------------
def residual_sum(pred, Y, power=2):
    return np.sum((pred - Y) ** power)


LOSS_MISTAKES = [
    (
        "the loss is not divided by N: loss = np.sum((pred - Y) ** 2) / N, with N = pred.shape[0].",
        lambda pred, Y: residual_sum(pred, Y),
    ),
    (
        "the loss is divided by every element's count (np.mean over N * M numbers): divide by N, the number "
        "of samples, pred.shape[0].",
        lambda pred, Y: np.mean((pred - Y) ** 2),
    ),
    (
        "the loss is halved: loss = np.sum((pred - Y) ** 2) / N.",
        lambda pred, Y: residual_sum(pred, Y) / 2 / len(pred),
    ),
    ("the differences are not squared.", lambda pred, Y: np.sum(pred - Y) / len(pred)),
    (
        "the loss sums absolute differences: square them.",
        lambda pred, Y: np.sum(np.abs(pred - Y)) / len(pred),
    ),
]
DPRED_MISTAKES = [
    (
        "dpred is not divided by N: the loss is divided by N, so its gradient is too, 2 * (pred - Y) / N.",
        lambda pred, Y: 2 * (pred - Y),
    ),
    (
        "dpred is divided by every element's count (N * M): divide by N, the number of samples.",
        lambda pred, Y: 2 * (pred - Y) / np.size(pred),
    ),
    ("dpred is missing the factor 2 from d(r ** 2)/dr = 2r.", lambda pred, Y: (pred - Y) / len(pred)),
    ("dpred has the wrong sign: it is 2 * (pred - Y) / N.", lambda pred, Y: 2 * (Y - pred) / len(pred)),
]


@cache
def predictions(N, M, seed):
    rng = np.random.default_rng(seed)
    return 2 * rng.standard_normal((N, M)) + 1, rng.standard_normal((N, M))


LOSS_CASES = [(6, 3, 721), (10, 1, 722)]


def loss_call(learner, pred, Y):
    call = describe_call("mse_loss", (pred, Y), {})
    got = learner.mse_loss(pred, Y)
    if not isinstance(got, list) or len(got) != 2:
        kind = f"an array of shape {got.shape}" if isinstance(got, np.ndarray) else repr(got)[:80]
        raise Fail(f"{call} returned {kind}; it should return a pair (loss, dpred).")
    return call, got


@check("mse_loss", points=1)
def test_mse_loss_value(learner):
    """mse_loss's loss is the sum of squared differences divided by N, the number of samples"""
    for case in LOSS_CASES:
        pred, Y = predictions(*case)
        call, (loss, _) = loss_call(learner, pred, Y)
        got, want = number(loss, f"The loss of {call}"), ref.mse_loss(pred, Y)[0]
        if not close(got, want):
            candidates = [(hint, answer(pred, Y)) for hint, answer in LOSS_MISTAKES]
            advice = "compute the loss by hand for two samples of one output, and compare."
            fail_value(got, want, f"The loss of {call}", singled_out(got, candidates, want, 1e-6), advice)


@check("mse_loss", points=1)
def test_mse_loss_gradient(learner):
    """mse_loss's dpred is the loss's gradient, 2 * (pred - Y) / N, shaped like pred"""
    for case in LOSS_CASES:
        pred, Y = predictions(*case)
        call, (_, got) = loss_call(learner, pred, Y)
        what = f"The dpred of {call}"
        if not isinstance(got, np.ndarray) or got.shape != pred.shape:
            kind = f"shape {got.shape}" if isinstance(got, np.ndarray) else f"type {type(got).__name__}"
            raise Fail(f"{what} has {kind}; it should be an array shaped like pred, {pred.shape}.")
        want = ref.mse_loss(pred, Y)[1]
        if not close(got, want):
            candidates = [(hint, answer(pred, Y)) for hint, answer in DPRED_MISTAKES]
            advice = "differentiate sum((pred - Y) ** 2) / N with respect to one element of pred."
            fail_value(got, want, what, singled_out(got, candidates, want, 1e-6), advice)


# --- dense_backward -----------------------------------------------------------------------------------------
BACKWARD_ADVICE = {
    "dX": "dX is shaped like X, (N, D): which product of dout (N, M) and W (D, M) gives that shape?",
    "dW": "dW is shaped like W, (D, M): write out[n, m] = sum over d of X[n, d] * W[d, m] + b[m], and "
    "differentiate it with respect to one W[d, m].",
    "db": "db is shaped like b, (M,): b[m] is added to out[n, m] for every sample n.",
}
BACKWARD_SHAPES = (
    "let the shapes choose each product: dout is (N, M), W is (D, M) and X is (N, D); dX must come out "
    "(N, D) like X, and dW (D, M) like W."
)
SHAPE_NAMES = {"dX": "X, (N, D)", "dW": "W, (D, M)", "db": "b, (M,)"}


def backward_shape_hint(name, got, X, W, dout):
    """(shape mistake, confirmed by the values) for a gradient of the wrong shape, or None."""
    dX, dW, db = ref.dense_backward(dout, (X, W))
    known = {
        "dX": [("dX is transposed, shape (D, N): dX = dout @ W.T, (N, M) @ (M, D).", dX.T)],
        "dW": [("dW is transposed, shape (M, D): dout.T @ X gives W's transpose; dW = X.T @ dout.", dW.T)],
        "db": [
            (
                "db keeps a leading axis of length 1, shape (1, M): b has shape (M,), so sum over the "
                "samples without keepdims (or reshape the sum to (M,)).",
                db.reshape(1, -1),
            ),
            (
                "db is not summed over the samples: b is added to every sample's output, so db adds up "
                "dout's rows, np.sum(dout, axis=0).",
                dout,
            ),
            (
                "db is summed over the wrong axis (axis=1, the outputs): sum over the samples, axis=0.",
                np.sum(dout, axis=1),
            ),
            (
                "db is summed over every element, one number: sum over the samples only (axis=0), one "
                "total per output.",
                np.sum(dout),
            ),
        ],
    }
    for hint, answer in known[name]:
        if close(got, answer):
            return hint
    return None


# Value mistakes with the right shape: on a square layer (N = D = M) shape mistakes fit too.
BACKWARD_MISTAKES = {
    "dX": [
        ("dX uses W without transposing it: dX = dout @ W.T.", lambda X, W, dout: dout @ W),
        ("dX is transposed: dX = dout @ W.T, (N, M) @ (M, D).", lambda X, W, dout: (dout @ W.T).T),
        ("dX has the wrong sign: dX = dout @ W.T.", lambda X, W, dout: -(dout @ W.T)),
    ],
    "dW": [
        (
            "dW is transposed: dout.T @ X gives W's transpose; dW = X.T @ dout.",
            lambda X, W, dout: dout.T @ X,
        ),
        ("dW uses X without transposing it: dW = X.T @ dout.", lambda X, W, dout: X @ dout),
        (
            "dW is divided by N: mse_loss's dpred already carries the 1/N, so dW = X.T @ dout, a sum.",
            lambda X, W, dout: X.T @ dout / len(X),
        ),
    ],
    "db": [
        (
            "db is summed over the wrong axis (axis=1, the outputs): sum over the samples, axis=0.",
            lambda X, W, dout: np.sum(dout, axis=1),
        ),
        (
            "db is the mean over the samples: mse_loss's dpred already carries the 1/N, so db is the sum, "
            "np.sum(dout, axis=0).",
            lambda X, W, dout: np.mean(dout, axis=0),
        ),
    ],
}


def expect_backward(learner, name, X, W, b, dout):
    """Forward then backward in the worker, on the learner's own cache; judge one of dX, dW, db."""
    position = ("dX", "dW", "db").index(name)
    got = program(learner, "dense_forward_backward", X, W, b, dout, advice=BACKWARD_SHAPES)[position]
    want = ref.dense_backward(dout, (X, W))[position]
    what = f"The {name} of dense_backward(dout, cache) for X {X.shape}, W {W.shape}, dout {dout.shape}"
    if got.shape != want.shape:
        likely = backward_shape_hint(name, got, X, W, dout)
        if likely:
            raise Fail(f"{what} has shape {got.shape}.\nLikely mistake: {likely}")
        raise Fail(
            f"{what} has shape {got.shape}; it should have the shape of {SHAPE_NAMES[name]} = {want.shape}."
        )
    if not close(got, want):
        candidates = [(hint, answer(X, W, dout)) for hint, answer in BACKWARD_MISTAKES[name]]
        fail_value(got, want, what, singled_out(got, candidates, want, 1e-6), BACKWARD_ADVICE[name])


RECTANGULAR = [((5, 3, 4), 711), ((8, 6, 2), 712)]


@check("dense_backward", points=1)
def test_dense_backward_dX(learner):
    """dense_backward's dX = dout @ W.T, shaped like X"""
    for shape, seed in RECTANGULAR:
        expect_backward(learner, "dX", *layer(*shape, seed))


@check("dense_backward", points=1)
def test_dense_backward_dW(learner):
    """dense_backward's dW = X.T @ dout, shaped like W (D, M), not transposed"""
    for shape, seed in RECTANGULAR:
        expect_backward(learner, "dW", *layer(*shape, seed))


@check("dense_backward", points=1)
def test_dense_backward_db(learner):
    """dense_backward's db sums dout over the samples, shape (M,) like b"""
    for shape, seed in RECTANGULAR:
        expect_backward(learner, "db", *layer(*shape, seed))


@check("dense_backward", points=1)
def test_dense_backward_square(learner):
    """dense_backward is right on a square layer too, where a transposed product has the right shape"""
    args = layer(4, 4, 4, seed=713)
    for name in ("dX", "dW", "db"):
        expect_backward(learner, name, *args)


# --- numerical_gradient -------------------------------------------------------------------------------------
def quotient(f, A, index, h, lo, hi):
    """(f(A with A[index] + hi * h) - f(A with A[index] + lo * h)) / ((hi - lo) * h), A untouched."""
    up, down = A.copy(), A.copy()
    up[index] += hi * h
    down[index] += lo * h
    return (f(up) - f(down)) / ((hi - lo) * h)


def per_element(lo, hi, scale=1.0, step=None):
    def answer(f, A, h):
        s = h if step is None else step
        return np.array([scale * quotient(f, A, i, s, lo, hi) for i in np.ndindex(A.shape)]).reshape(A.shape)

    return answer


def all_at_once(f, A, h):
    return np.full(A.shape, (f(A + h) - f(A - h)) / (2 * h))


ONE_SIDED = (
    "a one-sided difference, (f(A + h) - f(A)) / h: its error shrinks only in proportion to h. Use the "
    "central difference (f(A + h) - f(A - h)) / (2 * h) on each element."
)
NUMERIC_MISTAKES = [
    (ONE_SIDED, per_element(0, 1)),
    (ONE_SIDED, per_element(-1, 0)),
    *((ONE_SIDED, per_element(0, 1, step=s)) for s in (1e-2, 1e-3, 1e-4)),
    ("the central difference spans 2 * h: divide by 2 * h, not h.", per_element(-1, 1, scale=2.0)),
    (
        "the difference is taken the wrong way round, so every partial has the wrong sign.",
        per_element(-1, 1, scale=-1.0),
    ),
    (
        "numerical_gradient nudges every element of A at once (A + h), as lesson 6's diffp does with an "
        "array: nudge one element at a time, so each entry is the partial derivative for that element.",
        all_at_once,
    ),
]
H_IGNORED = "the step h you were given is ignored: nudge each element by the `h` argument."
H_MISTAKES = [(H_IGNORED, per_element(-1, 1, step=s)) for s in (1e-4, 1e-5, 1e-6, 1e-7)]

NOT_RESTORED = (
    "an element stays nudged after its partial is taken: numerical_gradient must leave A as it was. Save "
    "each element before nudging it (`old = A[i]`), and assign it back after the two evaluations "
    "(`A[i] = old`)."
)
ROUND_OFF = (
    "A was put back by adding and subtracting h (+ h, - 2h, + h), which leaves round-off: each step is "
    "rounded, and the roundings need not cancel (lesson 2). Save each element first (`old = A[i]`) and "
    "assign it back (`A[i] = old`)."
)


def restore_hint(A, after, h):
    """A mistake named from what numerical_gradient left in A, or None if A is as it was (or unclear)."""
    if after.shape != A.shape:
        return None
    change = np.abs(after - A)
    if not np.any(change):
        return None
    if np.all(change <= 1e-12 * np.maximum(1.0, np.abs(A))):
        return ROUND_OFF
    if np.all((change == 0) | ((change > 0.5 * h) & (change < 2.5 * h))):
        return NOT_RESTORED
    return None


@cache
def matrix(shape, seed, scale=1.0):
    return scale * np.random.default_rng(seed).standard_normal(shape)


def expect_gradient(learner, f, A, *h, mistakes=NUMERIC_MISTAKES):
    call = describe_call("numerical_gradient", (f, A, *h), {})
    got, after = program(learner, "numerical_gradient_and_after", f, A, *h)
    step = h[0] if h else 1e-5
    want = ref.numerical_gradient(f, A.copy(), step)
    if got.shape != A.shape:
        if got.size == A.size:
            likely = "the gradient is not shaped like A: fill an array of A's shape, np.zeros(A.shape)."
            raise Fail(f"{call} returned an array of shape {got.shape}.\nLikely mistake: {likely}")
        raise Fail(f"{call} returned an array of shape {got.shape}; it should be shaped like A, {A.shape}.")
    if close(got, want, NUMERIC_RTOL, NUMERIC_ATOL):
        return after
    likely = restore_hint(A, after, step)
    if likely is None:
        candidates = [(hint, answer(f, A.copy(), step)) for hint, answer in mistakes]
        likely = singled_out(got, candidates, want, 1e-8)
    advice = (
        "try it on f(A) = np.sum(A ** 2), whose gradient is 2 * A, with A of shape (2, 3) and of shape (3,)."
    )
    fail_value(got, want, call, likely, advice, rtol=NUMERIC_RTOL)


@check("numerical_gradient", points=1)
def test_numerical_gradient_every_element(learner):
    """numerical_gradient estimates the partial derivative for every element of a matrix and of a vector"""
    for coefficients, A in (
        ((0.7, 1.3, 0.4), matrix((3, 4), 731)),
        ((-0.5, 2.1, 0.3), matrix((5,), 732)),
        ((1.1, -0.6, 0.2), matrix((1, 3), 733)),
    ):
        expect_gradient(learner, TestFn("array_mystery", *coefficients), A)


@check("numerical_gradient", points=1)
def test_numerical_gradient_step(learner):
    """numerical_gradient takes central differences with the step h it is given"""
    for f, A, h in (
        (TestFn("array_cubic", 0.8), matrix((2, 3), 741, 2.0), 1e-2),
        (TestFn("array_mystery", 0.9, 1.7, 0.5), matrix((4,), 742), 1e-3),
    ):
        expect_gradient(learner, f, A, h, mistakes=NUMERIC_MISTAKES + H_MISTAKES)


@check("numerical_gradient", points=1)
def test_numerical_gradient_restores_A(learner):
    """numerical_gradient leaves A exactly as it was: every nudged element is put back"""
    for coefficients, A in (
        ((0.6, 1.9, 0.3), matrix((4, 5), 751, 3.0)),
        ((0.4, -1.2, 0.7), matrix((6,), 752, 3.0)),
    ):
        f = TestFn("array_mystery", *coefficients)
        after = expect_gradient(learner, f, A)
        if not np.array_equal(after, A):
            call = describe_call("numerical_gradient", (f, A), {})
            likely = restore_hint(A, after, 1e-5)
            text = f"{call} left A changed: {int(np.sum(after != A))} of its {A.size} elements differ."
            if likely:
                raise Fail(f"{text}\nLikely mistake: {likely}")
            raise Fail(f"{text}\nNext step: after nudging A[i], assign the value you saved back to A[i].")
