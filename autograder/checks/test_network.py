"""Hidden checks for lesson 9: a network of many layers, softmax cross-entropy and mini-batch training.

Data are small and fixed-seed (never the digits): 6 to 23 samples, 3 to 6 features, 3 classes, networks of
two and three layers whose biases are not zero, with some hidden units negative before the ReLU and
negative scores, so a ReLU left out or put on the last layer shows.

Caches stay in the worker: forward then backward run there through the check programs in
worker/programs/network.py, which return only arrays and floats; every comparison happens here.

Tolerances, measured on the catalogue's rows (tests/catalogue.py, 15 correct styles, 30 mistakes) as the
relative Euclidean distance over all numbers: every correct style of init_network and train_network
matches the reference exactly (0.0), of the softmax within 1.2e-16, of forward and backward exactly; the
closest catalogued mistake is 0.29 away (init_network's sqrt(1 / d_in)), then 0.30 (train_network that
never shuffles), 0.65 (forward without biases), 0.85 (backward feeding dscores to every layer). So
RTOL = 1e-9 for exact linear algebra, 1e-12 for init_network (the same draws), and TRAIN_RTOL = 1e-7 for
training, which compounds round-off over up to 20 steps: both sides have many decades of margin.
Scores near 1000 cost about 1e-13 of absolute precision in the loss, so that check uses 1e-7.
A mistake is named when it explains the answer within MATCH = 1e-6 and every other mistake and the
correct answer are at least diagnose.APART times farther away. Two mistakes are recognised by other
evidence: an update in place by the program's look at the caller's params afterwards (the values are
right), and an unstable softmax by a non-finite answer on scores near 1000 when the same function is
right on small scores.
"""

import math
from functools import cache

import numpy as np

from solutions import network as ref

from . import Fail, check
from .compare import rel_error, relative_gap
from .diagnose import APART

LESSON = "09-network"
RTOL = 1e-9
TRAIN_RTOL = 1e-7
MATCH = 1e-6


# --- comparing lists of arrays ------------------------------------------------------------------------------


def flat(arrays):
    return np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in arrays]) if arrays else np.zeros(0)


def gap(got, want):
    """Relative Euclidean distance of two lists of arrays (inf when their shapes differ)."""
    if [np.shape(a) for a in got] != [np.shape(a) for a in want]:
        return math.inf
    got, want = flat(got), flat(want)
    if not np.all(np.isfinite(got)) or not np.all(np.isfinite(want)):
        return math.inf
    return float(np.linalg.norm(got - want) / max(float(np.linalg.norm(want)), 1e-300))


def single_out(got, variants, want):
    """The hint of the one variant that explains `got` clearly better than every other and than `want`.

    `variants` maps a hint to the list of arrays that mistake produces on the same inputs.
    """
    scored = sorted((gap(got, answer), hint) for hint, answer in variants.items())
    if not scored or scored[0][0] > MATCH:
        return None
    best, hint = scored[0]
    others = [d for d, _ in scored[1:]] + [gap(got, want)]
    if any(d < APART * max(best, MATCH) for d in others):
        return None
    return hint


def expect_arrays(got, want, what, rtol, variants=None, advice=None):
    """Fail unless the arrays `got` are within rtol (relative norm) of `want`; name a mistake if one
    variant singles itself out. Shapes have been checked before."""
    if gap(got, want) <= rtol:
        return
    hint = single_out(got, variants() if variants else {}, want)
    got, want = flat(got), flat(want)
    off = relative_gap(got, want)
    if rel_error(got, want) < 1e-2:
        message = f"{what}: close, but not within the tolerance (relative {rtol:g})"
        message += f"; the relative error is {off}." if off else "."
    else:
        message = f"{what}: not the correct values" + (f" (relative error {off})." if off else ".")
    raise Fail(f"{message}\nLikely mistake: {hint}" if hint else f"{message}\nNext step: {advice}")


# --- shapes -------------------------------------------------------------------------------------------------


def as_array(value, what):
    if not isinstance(value, np.ndarray):
        kind = f"a sequence of {len(value)} items" if isinstance(value, list) else type(value).__name__
        raise Fail(f"{what} is {kind}; it should be a numpy array of numbers.")
    return value


def as_layers(value, shapes, what, names=("W", "b")):
    """A learner's list of per-layer pairs as [(W, b), ...], checked against `shapes` [(W shape, b shape)]."""
    plural = f"{len(shapes)} pairs ({names[0]}, {names[1]}), one per layer"
    if not isinstance(value, list):
        raise Fail(f"{what} returned {type(value).__name__}; it should return a list of {plural}.")
    if len(value) != len(shapes):
        raise Fail(f"{what} returned {len(value)} items; it should return a list of {plural}.")
    pairs = []
    for i, item in enumerate(value):
        if not isinstance(item, list) or len(item) != 2:
            raise Fail(f"{what}: item {i} is not a pair ({names[0]}, {names[1]}).")
        pairs.append([as_array(a, f"{what}: {names[j]} of layer {i}") for j, a in enumerate(item)])
    for i, ((W, b), (w_shape, b_shape)) in enumerate(zip(pairs, shapes)):
        name_w, name_b = names
        if W.shape != w_shape:
            if W.shape == w_shape[::-1]:
                why = (
                    f"it is transposed.\nLikely mistake: {name_w} is transposed: it is (d_in, d_out), so "
                    "that X @ W maps d_in features to d_out."
                )
            else:
                why = f"it should be {w_shape}, (d_in, d_out)."
            raise Fail(f"{what}: {name_w} of layer {i} has shape {W.shape}; {why}")
        if b.shape != b_shape:
            if b.shape == (1, *b_shape):
                why = f"it should be {b_shape}.\nLikely mistake: {name_b} must be flat: (M,), not (1, M)."
            else:
                why = f"it should be {b_shape}, one number per output of the layer."
            raise Fail(f"{what}: {name_b} of layer {i} has shape {b.shape}; {why}")
    return pairs


def layer_shapes(sizes):
    return [((d_in, d_out), (d_out,)) for d_in, d_out in zip(sizes[:-1], sizes[1:])]


def describe_params(params):
    return "[" + ", ".join(f"(W {W.shape}, b {b.shape})" for W, b in params) + "]"


# --- fixed data ---------------------------------------------------------------------------------------------


@cache
def problem(sizes, n, seed):
    """Params with nonzero biases, inputs X and integer labels: (params, X, labels)."""
    rng = np.random.default_rng(seed)
    params = [
        (rng.standard_normal((d_in, d_out)) * np.sqrt(2 / d_in), 0.3 * rng.standard_normal(d_out))
        for d_in, d_out in zip(sizes[:-1], sizes[1:])
    ]
    X = rng.standard_normal((n, sizes[0]))
    labels = rng.integers(0, sizes[-1], n)
    return params, X, labels


def copy_params(params):
    return [(W.copy(), b.copy()) for W, b in params]


# --- init_network -------------------------------------------------------------------------------------------


def init_variants(sizes, seed):
    def draw(scale, fresh=False, order="in_out"):
        rng = np.random.default_rng(seed)
        out = []
        for d_in, d_out in zip(sizes[:-1], sizes[1:]):
            if fresh:
                rng = np.random.default_rng(seed)
            shape = (d_in, d_out) if order == "in_out" else (d_out, d_in)
            W = rng.standard_normal(shape) * scale(d_in, d_out)
            out += [W if order == "in_out" else W.T, np.zeros(d_out)]
        return out

    return {
        "the weights are not scaled: multiply the standard normal draws by np.sqrt(2 / d_in).": draw(
            lambda i, o: 1.0
        ),
        "the scale is np.sqrt(1 / d_in): this lesson uses np.sqrt(2 / d_in), which suits ReLU layers.": draw(
            lambda i, o: np.sqrt(1 / i)
        ),
        "the scale uses d_out: it is np.sqrt(2 / d_in), d_in being the number of inputs of the layer.": draw(
            lambda i, o: np.sqrt(2 / o)
        ),
        "a new generator is made for every layer, so every layer starts from the same random numbers: "
        "create rng = np.random.default_rng(seed) once, before the loop.": draw(
            lambda i, o: np.sqrt(2 / i), fresh=True
        ),
        "W is drawn as (d_out, d_in) and transposed: draw it as (d_in, d_out), so the generator's numbers "
        "fill W row by row in the pinned order.": draw(lambda i, o: np.sqrt(2 / i), order="out_in"),
        "the seed you were given is ignored: use np.random.default_rng(seed).": (
            ref_init_flat(sizes, 0) if seed != 0 else None
        ),
    }


def ref_init_flat(sizes, seed):
    return [a for pair in ref.init_network(list(sizes), seed) for a in pair]


def expect_init(learner, sizes, seed=None):
    args = (list(sizes),) if seed is None else (list(sizes), seed)
    call = f"init_network({list(sizes)}{'' if seed is None else f', seed={seed}'})"
    got = as_layers(learner.init_network(*args), layer_shapes(sizes), call)
    got = [a for pair in got for a in pair]
    want = ref_init_flat(sizes, 0 if seed is None else seed)
    if any(np.any(b != 0) for b in got[1::2]):
        raise Fail(
            f"{call}: a bias is not zero.\nLikely mistake: every b starts at zero: b = np.zeros(d_out)."
        )

    def variants():
        found = init_variants(sizes, 0 if seed is None else seed)
        return {hint: answer for hint, answer in found.items() if answer is not None}

    ws = got[0::2]
    if len(ws) > 0 and all(np.all(W == W.flat[0]) for W in ws):
        raise Fail(
            f"{call} returned weights that are all equal.\nLikely mistake: the weights are all equal: "
            "every hidden unit then computes the same thing and gets the same gradient; none ever differ: "
            "draw them at random with rng.standard_normal."
        )
    expect_arrays(got, want, call, 1e-12, variants, advice=INIT_ADVICE)


INIT_ADVICE = (
    "draw each W with rng.standard_normal((d_in, d_out)) * np.sqrt(2 / d_in), in layer order, from one "
    "generator rng = np.random.default_rng(seed) made once."
)


@check("init_network", points=1)
def test_init_network_two_layers(learner):
    """init_network([5, 4, 3], seed=3) draws both layers from one seeded generator, scaled by sqrt(2/d_in)"""
    expect_init(learner, (5, 4, 3), seed=3)


@check("init_network", points=1)
def test_init_network_three_layers_default_seed(learner):
    """init_network([3, 6, 4, 2]) with the default seed gives three layers in order"""
    expect_init(learner, (3, 6, 4, 2))


# --- forward_network ----------------------------------------------------------------------------------------


def forward_variant(params, X, relu_last=False, relu_hidden=True, relu_input=False, bias=True):
    out = np.maximum(X, 0.0) if relu_input else X
    for i, (W, b) in enumerate(params):
        out = out @ W + (b if bias else 0.0)
        if (i < len(params) - 1 and relu_hidden) or (i == len(params) - 1 and relu_last):
            out = np.maximum(out, 0.0)
    return out


NO_RELU = "there is no ReLU between the layers: apply relu_forward after every hidden layer's dense_forward."
RELU_INPUT = (
    "the ReLU is applied to the input X too (ReLU before each dense layer): the order is dense then ReLU, "
    "and the input goes into the first dense layer as it is."
)
NO_BIAS = "the biases are not added: each layer computes X @ W + b."
SKIPS_LAST = (
    "the last layer is missing: these are the last hidden layer's outputs. Loop over every (W, b) in "
    "params; only the last one has no ReLU."
)
RELU_LAST = (
    "the last layer has a ReLU too: the scores come from the last dense_forward alone, so they can be "
    "negative."
)


def expect_scores(learner, sizes, n, seed):
    params, X, _ = problem(sizes, n, seed)
    call = f"forward_network({describe_params(params)}, <X of shape {X.shape}>) scores"
    got = as_array(learner.program("network_scores", list(params), X), call)
    want = ref.forward_network(params, X)[0]
    if got.shape == (n, sizes[-2]) and sizes[-2] != sizes[-1]:
        raise Fail(f"{call} have shape {got.shape}.\nLikely mistake: {SKIPS_LAST}")
    if got.shape != want.shape:
        raise Fail(
            f"{call} have shape {got.shape}; they should be (N, classes) = {want.shape}: one row per sample, "
            "one column per output of the last layer."
        )

    def variants():
        return {
            NO_RELU: [forward_variant(params, X, relu_hidden=False)],
            RELU_LAST: [forward_variant(params, X, relu_last=True)],
            RELU_INPUT: [forward_variant(params, X, relu_input=True)],
            NO_BIAS: [forward_variant(params, X, bias=False)],
        }

    expect_arrays([got], [want], call, RTOL, variants, advice=FORWARD_ADVICE)


FORWARD_ADVICE = (
    "work through one layer at a time by hand on two samples: dense, then ReLU except at the end."
)


@check("forward_network", points=1)
def test_forward_network_two_layers(learner):
    """forward_network: dense, ReLU, dense on a two-layer network"""
    expect_scores(learner, (4, 5, 3), 6, 901)


@check("forward_network", points=1)
def test_forward_network_three_layers(learner):
    """forward_network: dense then ReLU for every hidden layer, dense only for the last"""
    expect_scores(learner, (3, 6, 5, 3), 7, 902)


# --- backward_network ---------------------------------------------------------------------------------------


def backward_variant(params, X, dscores, mask="input", late=False, pass_back=True, reverse=False):
    """Gradients of a network whose backward pass has a mistake (the forward pass is right).

    mask: "input" (right: where the ReLU's input was positive), "gradient" (where dout is positive) or
    None (no ReLU backward); late: each ReLU's mask is applied after its layer's dense backward, to dX;
    pass_back=False: every layer gets dscores instead of the gradient from the layer above.
    """
    inputs, pre = [], []
    out = X
    for i, (W, b) in enumerate(params):
        inputs.append(out)
        out = out @ W + b
        pre.append(out)
        if i < len(params) - 1:
            out = np.maximum(out, 0.0)
    grads = []
    dout = dscores
    for i in reversed(range(len(params))):
        hidden = i < len(params) - 1
        if hidden and not late and mask == "input":
            dout = dout * (pre[i] > 0)
        elif hidden and mask == "gradient":
            dout = dout * (dout > 0)
        W = params[i][0]
        grads.append([inputs[i].T @ dout, np.sum(dout, axis=0)])
        dout = dout @ W.T if pass_back else dout  # without passing back, dout keeps its masks so far
        if hidden and late:
            dout = dout * (pre[i] > 0)
    return grads if reverse else grads[::-1]


NO_RELU_BACK = (
    "the gradient skips relu_backward on the way back: each hidden layer's ReLU lets the gradient through "
    "only where its input was positive."
)
LATE_MASK = (
    "relu_backward comes after dense_backward: going back, undo the forward steps in reverse order, so a "
    "hidden layer's relu_backward comes first, then its dense_backward."
)
NO_PASS_BACK = (
    "every layer gets dscores (after the ReLU masks so far) instead of the gradient from the layer above: "
    "pass dX from each dense_backward on to the layer below."
)
MASK_FROM_GRADIENT = (
    "the ReLU mask is taken from the gradient: it must come from the layer's input Z (relu_forward's "
    "cache), where Z > 0."
)
REVERSED = (
    "the gradients are in reverse order: you collect them from the last layer to the first, so reverse "
    "the list (grads[0] belongs to params[0])."
)


def expect_grads(learner, sizes, n, seed):
    params, X, labels = problem(sizes, n, seed)
    rng = np.random.default_rng(seed + 1)
    dscores = rng.standard_normal((n, sizes[-1])) / n
    call = f"backward_network(dscores, caches) after forward_network({describe_params(params)}, X)"
    value = learner.program("network_grads", list(params), X, dscores)
    shapes = layer_shapes(sizes)
    if (
        isinstance(value, list)
        and len(value) == len(shapes) > 1
        and all(isinstance(p, list) and len(p) == 2 for p in value)
        and [tuple(np.shape(a) for a in p) for p in value] == shapes[::-1]
        and shapes != shapes[::-1]
    ):
        raise Fail(
            f"{call}: the gradients' shapes match params in reverse order.\nLikely mistake: {REVERSED}"
        )
    got = [a for pair in as_layers(value, shapes, call, names=("dW", "db")) for a in pair]
    want = [a for pair in ref.backward_network(dscores, ref.forward_network(params, X)[1]) for a in pair]

    def variants():
        found = {
            NO_RELU_BACK: backward_variant(params, X, dscores, mask=None),
            LATE_MASK: backward_variant(params, X, dscores, late=True),
            NO_PASS_BACK: backward_variant(params, X, dscores, pass_back=False),
            MASK_FROM_GRADIENT: backward_variant(params, X, dscores, mask="gradient"),
            REVERSED: backward_variant(params, X, dscores, reverse=True),
        }
        return {hint: [a for pair in grads for a in pair] for hint, grads in found.items()}

    expect_arrays(got, want, f"{call} (dW, db of every layer)", RTOL, variants, advice=BACKWARD_ADVICE)


BACKWARD_ADVICE = (
    "check each layer's gradient against numerical_gradient on a tiny network, starting from the last "
    "layer and moving back one layer at a time."
)


@check("backward_network", points=1)
def test_backward_network_two_layers(learner):
    """backward_network gives (dW, db) of both layers of a two-layer network, in the order of params"""
    expect_grads(learner, (4, 5, 3), 6, 911)


@check("backward_network", points=1)
def test_backward_network_three_layers(learner):
    """backward_network passes the gradient back through every hidden ReLU of a three-layer network"""
    expect_grads(learner, (3, 6, 5, 3), 7, 912)


@check("backward_network", points=1)
def test_backward_network_square_layers(learner):
    """backward_network with layers of equal widths returns each layer's gradient at its own place"""
    expect_grads(learner, (4, 4, 4, 4), 5, 913)


# --- softmax_cross_entropy ----------------------------------------------------------------------------------


def softmax_variant(scores, labels, minus_one=True, mean_loss=True, mean_grad=True, axis=1, sign=1.0):
    n = len(labels)
    rows = np.arange(n)
    shifted = scores - np.max(scores, axis=axis, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=axis, keepdims=True)
    loss = -np.sum(np.log(probs[rows, labels]))
    loss = loss / n if mean_loss else loss
    dscores = probs.copy()
    if minus_one:
        dscores[rows, labels] -= 1.0
    if mean_grad:
        dscores = dscores / n
    return sign * loss, sign * dscores


LOSS_SUM = "the loss is summed over the samples: return the mean, dividing by N = scores.shape[0]."
WRONG_AXIS = (
    "the softmax is normalised over the wrong axis: each row is one sample, so take max and sum along "
    "axis=1 (with keepdims=True)."
)
LOSS_SIGN = "the loss has the wrong sign: cross-entropy is minus the log of the true class's probability."
NO_MINUS_ONE = (
    "dscores is missing the -1 at each sample's true class: the gradient with respect to the scores is "
    "(softmax - one_hot(labels)) / N."
)
GRAD_NOT_MEAN = (
    "dscores is not divided by N: the loss is a mean over the N samples, so its gradient carries 1/N too."
)
NEITHER = (
    "dscores is the softmax alone: subtract 1 at each sample's true class, then divide by N; the gradient "
    "is (softmax - one_hot(labels)) / N."
)
GRAD_SIGN = (
    "dscores has the wrong sign: it is (softmax - one_hot(labels)) / N, positive away from the true class."
)
OVERFLOW = (
    "exp() overflows for large scores: subtract each row's largest score before exponentiating "
    "(softmax does not change when a row is shifted)."
)
SOFTMAX_ADVICE = (
    "compute the loss and its gradient by hand for two samples of three scores, then check dscores "
    "against numerical_gradient."
)


@cache
def scores_problem(n, classes, seed, offset=0.0):
    rng = np.random.default_rng(seed)
    scores = 2.0 * rng.standard_normal((n, classes)) + offset + rng.uniform(0, 50, (n, 1)) * (offset != 0)
    labels = rng.integers(0, classes, n)
    return scores, labels


def call_softmax(learner, scores, labels, what):
    value = learner.program("softmax_loss", scores, labels.astype(float))
    loss, dscores = value
    if isinstance(loss, np.ndarray) and loss.size == 1:
        loss = float(loss.reshape(()))
    if type(loss) not in (int, float):
        raise Fail(
            f"{what} returned a loss that is {type(loss).__name__}; it should be one number (a float)."
        )
    dscores = as_array(dscores, f"{what}: dscores")
    if dscores.shape != scores.shape:
        raise Fail(
            f"{what}: dscores has shape {dscores.shape}; it should have the shape of scores, {scores.shape}."
        )
    return float(loss), dscores


def softmax_hints(scores, labels, part):
    knobs = {
        LOSS_SUM: dict(mean_loss=False, mean_grad=False),
        WRONG_AXIS: dict(axis=0),
        LOSS_SIGN: dict(sign=-1.0),
    }
    if part == 1:
        knobs = {
            NO_MINUS_ONE: dict(minus_one=False),
            GRAD_NOT_MEAN: dict(mean_grad=False),
            NEITHER: dict(minus_one=False, mean_grad=False),
            WRONG_AXIS: dict(axis=0),
            GRAD_SIGN: dict(sign=-1.0),
        }
    return lambda: {
        hint: [np.atleast_1d(softmax_variant(scores, labels, **k)[part])] for hint, k in knobs.items()
    }


def expect_softmax(learner, scores, labels, part):
    what = f"softmax_cross_entropy(<scores of shape {scores.shape}>, labels)"
    got = call_softmax(learner, scores, labels, what)
    want = ref.softmax_cross_entropy(scores, labels)
    if not np.all(np.isfinite(got[1])) or not math.isfinite(got[0]):
        raise Fail(f"{what} returned a loss or gradient that is not finite (nan or inf).")
    label = " loss" if part == 0 else " dscores"
    expect_arrays(
        [np.atleast_1d(got[part])],
        [np.atleast_1d(want[part])],
        what + label,
        RTOL,
        softmax_hints(scores, labels, part),
        advice=SOFTMAX_ADVICE,
    )


@check("softmax_cross_entropy", points=1)
def test_softmax_loss(learner):
    """softmax_cross_entropy's loss is the mean over samples of -log(softmax probability of the true class)"""
    for n, classes, seed in ((5, 3, 921), (8, 4, 922)):
        scores, labels = scores_problem(n, classes, seed)
        expect_softmax(learner, scores, labels, 0)


@check("softmax_cross_entropy", points=1)
def test_softmax_gradient(learner):
    """softmax_cross_entropy's dscores is (softmax - one_hot(labels)) / N"""
    for n, classes, seed in ((5, 3, 921), (8, 4, 922)):
        scores, labels = scores_problem(n, classes, seed)
        expect_softmax(learner, scores, labels, 1)


@check("softmax_cross_entropy", points=1)
def test_softmax_large_scores(learner):
    """softmax_cross_entropy stays finite and right for scores near 1000"""
    scores, labels = scores_problem(6, 3, 923, offset=1000.0)
    what = f"softmax_cross_entropy(<scores of shape {scores.shape}, around 1000>, labels)"
    loss, dscores = call_softmax(learner, scores, labels, what)
    if not math.isfinite(loss) or not np.all(np.isfinite(dscores)):
        small, small_labels = scores_problem(6, 3, 923)
        fine = call_softmax(learner, small, small_labels, what)
        want = ref.softmax_cross_entropy(small, small_labels)
        right_when_small = gap([np.atleast_1d(fine[0]), fine[1]], [np.atleast_1d(want[0]), want[1]]) <= RTOL
        hint = f"\nLikely mistake: {OVERFLOW}" if right_when_small else ""
        raise Fail(f"{what} returned a loss or gradient that is not finite (nan or inf).{hint}")
    want = ref.softmax_cross_entropy(scores, labels)
    expect_arrays(
        [np.atleast_1d(loss), dscores], [np.atleast_1d(want[0]), want[1]], what, 1e-7, advice=SOFTMAX_ADVICE
    )


# --- train_network ------------------------------------------------------------------------------------------


def train_variant(
    X,
    labels,
    params,
    learning_rate=0.1,
    epochs=10,
    batch_size=32,
    seed=0,
    *,
    fresh_rng=False,
    drop_last=False,
    twice=False,
    shuffle=True,
):
    """Mini-batch training with knobs that reproduce common mistakes (reference layers otherwise)."""
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    stop = n - batch_size + 1 if drop_last else n
    for _ in range(epochs):
        if fresh_rng:
            rng = np.random.default_rng(seed)
        order = rng.permutation(n) if shuffle else np.arange(n)
        for start in range(0, stop, batch_size):
            batch = order[start : start + batch_size]
            scores, caches = ref.forward_network(params, X[batch])
            _, dscores = ref.softmax_cross_entropy(scores, labels[batch])
            grads = ref.backward_network(dscores, caches)
            scale = learning_rate / (len(batch) if twice else 1)
            params = [(W - scale * dW, b - scale * db) for (W, b), (dW, db) in zip(params, grads)]
    return [a for pair in params for a in pair]


FRESH_RNG = (
    "a new generator is made every epoch, so every epoch visits the samples in the same order: create "
    "rng = np.random.default_rng(seed) once, before the epoch loop."
)
DROP_LAST = (
    "the last, smaller batch is skipped: slice batches with range(0, N, batch_size), so the samples left "
    "at the end form one more batch."
)
TWICE = (
    "the gradient is averaged twice: softmax_cross_entropy's dscores already holds the 1/N, so do not "
    "divide the gradients (or the step) by the batch size again."
)
NO_SHUFFLE = "the samples are never shuffled: order them by rng.permutation(N) at the start of every epoch."
IN_PLACE = (
    "the update changes the caller's arrays in place (`W -= ...` on the arrays it was given): build new "
    "arrays, `W = W - learning_rate * dW`, so the caller's params stay as they were."
)
TRAIN_ADVICE = (
    "run one epoch on ten samples with batch_size=4 by hand (three batches: 4, 4 and 2 samples) and "
    "compare after each step."
)


def train_call(learner, sizes, n, data_seed, *args, **kwargs):
    params, X, labels = problem(sizes, n, data_seed)
    shown = [f"{a!r}" for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    rest = "".join(", " + s for s in shown)
    call = f"train_network(<X of shape {X.shape}>, labels, {describe_params(params)}{rest})"
    new, changed = learner.program("train", X, labels.astype(float), list(params), *args, **kwargs)
    return call, params, X, labels, new, changed


def expect_training(learner, sizes, n, data_seed, *args, **kwargs):
    call, params, X, labels, new, _ = train_call(learner, sizes, n, data_seed, *args, **kwargs)
    got = [a for pair in as_layers(new, layer_shapes(sizes), call) for a in pair]
    if not np.all(np.isfinite(flat(got))):
        raise Fail(f"{call} returned parameters that are not finite (nan or inf): training blew up.")
    want = [a for pair in ref.train_network(X, labels, copy_params(params), *args, **kwargs) for a in pair]

    def variants():
        knobs = {FRESH_RNG: dict(fresh_rng=True), DROP_LAST: dict(drop_last=True), TWICE: dict(twice=True)}
        knobs[NO_SHUFFLE] = dict(shuffle=False)
        return {
            hint: train_variant(X, labels, copy_params(params), *args, **kwargs, **k)
            for hint, k in knobs.items()
        }

    expect_arrays(got, want, f"{call} (every W and b)", TRAIN_RTOL, variants, advice=TRAIN_ADVICE)


@check("train_network", points=1)
def test_train_network_two_epochs(learner):
    """train_network: two epochs of shuffled mini-batches, the last one smaller"""
    expect_training(learner, (4, 5, 3), 10, 931, learning_rate=0.5, epochs=2, batch_size=4, seed=7)


@check("train_network", points=1)
def test_train_network_defaults(learner):
    """train_network with its default learning rate, epochs, batch size and seed"""
    expect_training(learner, (3, 6, 3), 40, 932)


@check("train_network", points=1)
def test_train_network_arguments(learner):
    """train_network uses the learning rate, epochs, batch size and seed it is given, on three layers"""
    expect_training(learner, (4, 6, 5, 3), 23, 933, 0.2, 3, 5, 11)


@check("train_network", points=1)
def test_train_network_leaves_params(learner):
    """train_network returns new parameters and leaves the caller's as they were"""
    call, *_, changed = train_call(
        learner, (4, 5, 3), 10, 931, learning_rate=0.5, epochs=2, batch_size=4, seed=7
    )
    if changed:
        raise Fail(f"{call} changed the caller's params.\nLikely mistake: {IN_PLACE}")
