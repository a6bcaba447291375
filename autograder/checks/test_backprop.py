"""Hidden checks for lesson 6: the two-neuron network, trained numerically and by backpropagation.

The network functions are exact arithmetic (relative 1e-9). Training is compared after one and two epochs
with weights that are all different and inputs that are not 1, so every partial derivative differs and a
missing chain-rule factor, a stale weight or a sequential update shows. Full runs are judged by the
effective line (slope w21*w11, intercept w21*w12 + w22), the only thing the data determine.

Right weights are not enough for train_backprop: calling train_numeric, or taking numeric partials of the
whole error, gives the same weights without backpropagation. `test_train_backprop_backward_pass` traces
one training step on one sample (worker/trace.py), so every call sees the probe's weights, and looks for
the network being run again with w11 nudged: a call of the learner's that returns the network's output or
error at w11 + d, where w11 + d was an argument somewhere. The seed's backward pass (local derivatives of
`neuron` and the squared error by diffp, multiplied along the chain) never computes those values: the
probe's x and w21 make w21 * x differ from 1, h and w21, so no local nudge coincides with one. It is worth
as much as the accuracy checks together, so a shortcut earns at most half of train_backprop's points.
Not seen: a whole-network rerun written as inline arithmetic, with no function call at all.
"""

from functools import cache, partial

import numpy as np

from solutions import backprop as ref

from ..learner import describe_call
from . import Fail, check
from .compare import expect_close, number, numbers, wrong_value
from .diagnose import Mistake, as_keywords, likely

LESSON = "06-backprop"
# Measured (tests/test_catalogue.py): correct styles deviate at most 2.5e-6 from the reference, the
# catalogued mistakes at least 5.5e-4, so 5e-5 sits well inside both margins.
RTOL = 5e-5
START = dict(w11=0.3, w12=-0.2, w21=0.8, w22=0.1)


NETWORK_MISTAKES = {
    "neuron": [
        Mistake("w1 and w2 are swapped: w1 multiplies x, and w2 is the bias.", lambda w1, w2, x: w2 * x + w1),
        Mistake("the bias w2 is missing: a neuron computes w1 * x + w2.", lambda w1, w2, x: w1 * x),
    ],
    "forward_nn": [
        Mistake(
            "the second neuron must take h = neuron(w11, w12, x) as its input, not x.",
            lambda w11, w12, w21, w22, x: w21 * x + w22,
        ),
        Mistake(
            "the neurons are in the wrong order: (w11, w12) is the first neuron, (w21, w22) the second.",
            lambda w11, w12, w21, w22, x: w11 * (w21 * x + w22) + w12,
        ),
        Mistake(
            "forward_nn returns the hidden value h: feed h into the second neuron and return its output.",
            lambda w11, w12, w21, w22, x: w11 * x + w12,
        ),
    ],
    "error_nn": [
        Mistake(
            "error_nn is not squared: return (output - yy) ** 2.",
            lambda w11, w12, w21, w22, x, yy: ref.forward_nn(w11, w12, w21, w22, x) - yy,
        ),
        Mistake(
            "error_nn has a factor 1/2 that this lesson's error does not have: return (output - yy) ** 2.",
            lambda w11, w12, w21, w22, x, yy: 0.5 * (ref.forward_nn(w11, w12, w21, w22, x) - yy) ** 2,
        ),
        Mistake(
            "error_nn takes the absolute difference: square it instead.",
            lambda w11, w12, w21, w22, x, yy: abs(ref.forward_nn(w11, w12, w21, w22, x) - yy),
        ),
    ],
}


def expect_network(learner, function, *args):
    """Exact arithmetic on numbers: compare to the reference, naming a likely mistake."""
    call = f"{function}{args}"
    got = number(getattr(learner, function)(*args), call)
    hint = partial(likely, NETWORK_MISTAKES[function], got, args)
    expect_close(got, getattr(ref, function)(*args), call, rtol=1e-9, hint=hint)


def train(
    X,
    y,
    w11=0.5,
    w12=0.5,
    w21=0.5,
    w22=0.5,
    learning_rate=0.01,
    epochs=50,
    *,
    sign=1.0,
    extra=0,
    rate=None,
    reset=False,
    scale=2.0,
    w21_factor=True,
    x_factor=True,
    stale_w21=False,
    sequential=False,
    batch=False,
    w12_as_w11=False,
    order=(0, 1, 2, 3),
):
    """Per-sample training of the two-neuron network, with knobs that reproduce common mistakes."""
    w = [0.5] * 4 if reset else [w11, w12, w21, w22]
    rate = learning_rate if rate is None else rate

    def gradient(w, x, t):
        h = w[0] * x + w[1]
        dE_do = scale * (w[2] * h + w[3] - t)
        dE_dh = dE_do * (w[2] if w21_factor else 1.0)
        g = [dE_dh * (x if x_factor else 1.0), dE_dh, dE_do * h, dE_do]
        if w12_as_w11:
            g[1] = g[0]
        return g

    for _ in range(epochs + extra):
        total = [0.0] * 4
        for x, t in zip(np.ravel(X), np.ravel(y)):
            x, t = float(x), float(t)
            if batch:
                total = [a + b for a, b in zip(total, gradient(w, x, t))]
            elif sequential:
                for k in range(4):
                    w[k] -= sign * rate * gradient(w, x, t)[k]
            elif stale_w21:
                g = gradient(w, x, t)
                w[2] -= sign * rate * g[2]
                w[3] -= sign * rate * g[3]
                dE_dh = g[3] * w[2]
                w[0] -= sign * rate * dE_dh * x
                w[1] -= sign * rate * dE_dh
            else:
                w = [wk - sign * rate * gk for wk, gk in zip(w, gradient(w, x, t))]
        if batch:
            w = [wk - sign * rate * gk for wk, gk in zip(w, total)]
    return tuple(w[i] for i in order)


DIVERGED = "the update moves uphill: subtract learning_rate * gradient; check the sign."
RATE_IGNORED = "the learning rate you were given is ignored: use the `learning_rate` argument."
START_IGNORED = "the starting weights you were given are ignored: start from the w11..w22 arguments."


def train_mistake(hint, **knobs):
    return Mistake(hint, lambda *args, **kwargs: train(*args, **kwargs, **knobs))


COMMON = [
    train_mistake(RATE_IGNORED, rate=0.001),
    train_mistake(RATE_IGNORED, rate=0.01),
    train_mistake(DIVERGED, sign=-1.0),
    train_mistake("one epoch too many: run exactly `epochs` passes, `for _ in range(epochs)`.", extra=1),
    train_mistake("one epoch too few: run exactly `epochs` passes, `for _ in range(epochs)`.", extra=-1),
    train_mistake(START_IGNORED, reset=True),
    train_mistake(
        "the weights come back in the wrong order: return (w11, w12, w21, w22).", order=(2, 3, 0, 1)
    ),
    train_mistake(
        "the gradient is summed over the whole epoch before one update: update after every sample.",
        batch=True,
    ),
]
NUMERIC_MISTAKES = [
    train_mistake(
        "each weight is updated before the next partial derivative is taken: take all four "
        "partials at the old weights, then update all four at once.",
        sequential=True,
    ),
    train_mistake(
        "the partial derivative for w12 is taken with respect to w11: check the index you pass "
        "to diffp for each weight.",
        w12_as_w11=True,
    ),
    *COMMON,
]
BACKPROP_MISTAKES = [
    train_mistake(
        "your w21 update happens before dE/dh is computed: dE/dh = dE/do * w21 needs the old w21, "
        "so compute every derivative first and update afterwards.",
        stale_w21=True,
    ),
    train_mistake(
        "dE/dw11 and dE/dw12 are missing the factor do/dh = w21: dE/dh = dE/do * w21.", w21_factor=False
    ),
    train_mistake("dE/dw11 is missing the factor dh/dw11 = x: dE/dw11 = dE/dh * x.", x_factor=False),
    train_mistake("dE/do is missing the factor 2: d(o - y)**2 / do = 2 (o - y).", scale=1.0),
    *COMMON,
]


@cache
def data(n=20, seed=606):
    """Hidden data: the lesson's recipe with another seed and size."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, 1))
    y = 4 + 3 * X + 0.3 * rng.standard_normal((n, 1))
    return X, y


def effective_line(w11, w12, w21, w22):
    return [w21 * w11, w21 * w12 + w22]


def call_training(learner, function, *args, **kwargs):
    """Call a training function; return its call text and its 4 weights."""
    call = describe_call(function, args, kwargs)
    got = getattr(learner, function)(*args, **kwargs)
    if isinstance(got, list | np.ndarray) and not np.all(np.isfinite(np.asarray(got, dtype=float))):
        raise Fail(f"{call} returned {got!r:.120}: the weights blew up.\nLikely mistake: {DIVERGED}")
    return call, numbers(got, 4, call)


# One sample, one epoch: every call before the update sees exactly these weights.
PROBE_SAMPLE = (1.37, 2.9)
PROBE_WEIGHTS = (0.37, -0.21, 0.83, 0.61)
PROBE_RATE = 0.05
TRACE_TOL = 1e-11  # relative; the learner's own rounding is about 1e-16
WHOLE_ERROR = (
    "numeric partials of the whole error: the network is run again for a nudged weight, which is lesson "
    "6's first method, not backpropagation. Run the network forward once, then go backward multiplying "
    "local derivatives: dE/do, then do/dh = w21, then dh/dw11 = x."
)
CALLS_NUMERIC = (
    "train_backprop calls train_numeric, which takes numeric partials of the whole error: write the "
    "backward pass, multiplying local derivatives from the output back to each weight."
)
TOO_SMALL = (
    "the numeric derivatives here nudge by about {step:.0e}: that step is too small, so round-off swamps "
    "the difference (lesson 2's step-size study); use about 1e-6 with a central difference."
)


def probe_call(learner, function):
    x, yy = PROBE_SAMPLE
    w11, w12, w21, w22 = PROBE_WEIGHTS
    args = (np.array([[x]]), np.array([[yy]]), w11, w12, w21, w22, PROBE_RATE, 1)
    return describe_call(function, args, {}), learner.traced(function, *args)[1]


def network_at(w11, w12, w21, w22, x, yy):
    output = w21 * (w11 * x + w12) + w22
    return output, (output - yy) ** 2


def whole_network_reruns(calls, weights=PROBE_WEIGHTS, sample=PROBE_SAMPLE, tol=TRACE_TOL):
    """Names of the learner's functions that returned the network's output or error at w11 + d, for a
    nudged value w11 + d seen among the call arguments, or that were handed error_nn or forward_nn."""
    w11 = weights[0]
    found = [name for name, args, _ in calls if any(a in ("fn:error_nn", "fn:forward_nn") for a in args)]
    seen = {a for _, args, _ in calls for a in args if type(a) is float}
    nudged = [a for a in seen if a != w11 and abs(a - w11) <= 1e-2 * max(1.0, abs(w11))]
    unnudged = network_at(*weights, *sample)
    for a in nudged:
        targets = [
            t
            for t, t0 in zip(network_at(a, *weights[1:], *sample), unnudged)
            if abs(t - t0) > 1e3 * tol * max(1.0, abs(t))  # a nudge too small to tell apart says nothing
        ]
        found += [
            name
            for name, _, result in calls
            if type(result) is float and any(abs(result - t) <= tol * max(1.0, abs(t)) for t in targets)
        ]
    return list(dict.fromkeys(found))


def nudge_sizes(calls):
    """Nudges: small relative differences (below 1e-2) between two calls of one function that differ in
    exactly one number."""
    by_name = {}
    for name, args, _ in calls:
        by_name.setdefault((name, len(args)), set()).add(args)
    sizes = []
    for group in by_name.values():
        group = sorted(group, key=repr)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                differ = [(u, v) for u, v in zip(a, b) if u != v]
                if len(differ) == 1 and all(type(t) is float for t in differ[0]):
                    u, v = differ[0]
                    size = abs(u - v) / max(1.0, abs(u))
                    if size < 1e-2:
                        sizes.append(size)
    return sizes


def step_hint(learner, function):
    """Named only when every nudge the learner's numeric derivatives made is far too small to resolve."""
    try:
        _, calls = probe_call(learner, function)
    except Fail:
        return None
    sizes = nudge_sizes(calls or [])
    if sizes and max(sizes) < 1e-9:
        return TOO_SMALL.format(step=max(sizes))
    return None


def mistakes(function):
    return NUMERIC_MISTAKES if function == "train_numeric" else BACKPROP_MISTAKES


def ignores(learner, function, named, base, changes):
    """True if the answer does not move when `changes` are made to a call (`named` updated by `base`)."""
    try:
        a = numbers(getattr(learner, function)(**{**named, **base}), 4, function)
        b = numbers(getattr(learner, function)(**{**named, **base, **changes}), 4, function)
    except Fail:
        return False
    return bool(np.allclose(a, b, rtol=1e-12, atol=0.0))


def training_hint(learner, function, got, named, project=None, want=None):
    """A catalogued mistake that matches the answer, else a step size that the trace shows is too small.

    "Ignored" hints are confirmed by calling again with that argument changed: a halved gradient also
    looks like a halved learning rate, but its answer moves with the rate."""
    found = likely(mistakes(function), got, (), named, project=project, want=want)
    slow = {"learning_rate": named["learning_rate"] * 1e-3}
    if found == RATE_IGNORED and not ignores(learner, function, named, {}, slow):
        return None
    start = {k: named[k] + 0.25 for k in ("w11", "w12", "w21", "w22")}
    if found == START_IGNORED and not ignores(learner, function, named, slow, start):
        return None
    return found or step_hint(learner, function)


# A point where every helper's answer is distinct; the probe's x and weights.
HELPER_CALLS = {
    "neuron": (0.83, 0.61, 1.37),
    "forward_nn": (0.37, -0.21, 0.83, 0.61, 1.37),
    "error_nn": (0.37, -0.21, 0.83, 0.61, 1.37, 2.9),
}


def broken_helper(learner, function):
    """The first of the network's functions that the training called and that gives a wrong answer: then
    the training is wrong downstream of it, and naming a training mistake would be a guess."""
    try:
        _, calls = probe_call(learner, function)
    except Fail:
        return None
    used = {name for name, _, _ in calls or []}
    for name, args in HELPER_CALLS.items():
        if name not in used:
            continue
        try:
            got = number(getattr(learner, name)(*args), name)
        except Fail:
            return name
        want = getattr(ref, name)(*args)
        if abs(got - want) > 1e-9 * max(1.0, abs(want)):
            return name
    return None


def expect_training(learner, function, got, want, what, hint):
    """expect_close for a training run; a broken helper it relies on is reported instead of a guess."""
    got_arr, want_arr = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if np.all(np.abs(got_arr - want_arr) <= 1e-9 + RTOL * np.abs(want_arr)):
        return
    helper = broken_helper(learner, function)
    if helper is not None:
        advice = f"{function} calls your `{helper}`, which does not pass its own check yet: fix it first."
        raise Fail(wrong_value(got, want, what, RTOL, advice=advice))
    expect_close(got, want, what, rtol=RTOL, atol=1e-9, hint=hint)


def expect_weights(learner, function, *args, **kwargs):
    call, got = call_training(learner, function, *args, **kwargs)
    want = getattr(ref, function)(*args, **kwargs)
    named = as_keywords(getattr(ref, function), args, kwargs)
    hint = partial(training_hint, learner, function, got, named)
    expect_training(learner, function, got, want, f"{call} (w11, w12, w21, w22)", hint)


def expect_line(learner, function, *args, **kwargs):
    call, got = call_training(learner, function, *args, **kwargs)
    want = getattr(ref, function)(*args, **kwargs)
    line = effective_line(*got)
    named = as_keywords(getattr(ref, function), args, kwargs)
    hint = partial(training_hint, learner, function, line, named, project=lambda w: effective_line(*w))
    expect_training(learner, function, line, effective_line(*want), f"{call}: the learned line", hint)


@check("neuron", points=1)
def test_neuron(learner):
    """neuron computes weight * input + bias"""
    for w1, w2, x in ((0.5, 0.5, 1.0), (2.0, -1.5, 3.0), (-0.7, 0.2, -4.0)):
        expect_network(learner, "neuron", w1, w2, x)


@check("forward_nn", points=1)
def test_forward_nn(learner):
    """forward_nn feeds the first neuron's output into the second"""
    for weights, x in (((0.3, -0.2, 0.8, 0.1), 2.0), ((1.5, 0.5, -2.0, 3.0), -0.6)):
        expect_network(learner, "forward_nn", *weights, x)


@check("error_nn", points=1)
def test_error_nn(learner):
    """error_nn is the squared difference between the network's output and the target"""
    for weights, x, yy in (((0.3, -0.2, 0.8, 0.1), 2.0, 7.5), ((1.5, 0.5, -2.0, 3.0), -0.6, -1.0)):
        expect_network(learner, "error_nn", *weights, x, yy)


@check("train_numeric", points=1)
def test_train_numeric_one_epoch(learner):
    """train_numeric with epochs=1 makes one pass of per-sample updates"""
    X, y = data()
    expect_weights(learner, "train_numeric", X, y, **START, learning_rate=0.01, epochs=1)


@check("train_numeric", points=1)
def test_train_numeric_two_epochs(learner):
    """train_numeric with epochs=2 makes two passes, from the weights and rate it is given"""
    X, y = data()
    expect_weights(learner, "train_numeric", X, y, 0.9, 0.4, -0.5, 1.2, 0.02, 2)


@check("train_numeric", points=1)
def test_train_numeric_defaults(learner):
    """train_numeric with its default arguments learns the data's line"""
    X, y = data()
    expect_line(learner, "train_numeric", X, y)


@check("train_numeric", points=1)
def test_train_numeric_arguments(learner):
    """train_numeric uses the learning rate, epochs and initial weights it is given"""
    X, y = data(n=15, seed=616)
    expect_line(learner, "train_numeric", X, y, 0.2, 0.6, 0.4, -0.3, learning_rate=0.004, epochs=23)


@check("train_backprop", points=1)
def test_train_backprop_one_epoch(learner):
    """train_backprop with epochs=1 makes one pass of per-sample updates"""
    X, y = data()
    expect_weights(learner, "train_backprop", X, y, **START, learning_rate=0.05, epochs=1)


@check("train_backprop", points=1)
def test_train_backprop_two_epochs(learner):
    """train_backprop with epochs=2 makes two passes, from the weights and rate it is given"""
    X, y = data()
    expect_weights(learner, "train_backprop", X, y, 0.9, 0.4, -0.5, 1.2, 0.03, 2)


@check("train_backprop", points=1)
def test_train_backprop_defaults(learner):
    """train_backprop with its default arguments learns the data's line"""
    X, y = data()
    expect_line(learner, "train_backprop", X, y)


@check("train_backprop", points=1)
def test_train_backprop_arguments(learner):
    """train_backprop uses the learning rate, epochs and initial weights it is given"""
    X, y = data(n=15, seed=616)
    expect_line(learner, "train_backprop", X, y, 0.2, 0.6, 0.4, -0.3, learning_rate=0.03, epochs=17)


@check("train_backprop", points=4)
def test_train_backprop_backward_pass(learner):
    """train_backprop runs the network forward once per sample, then a backward pass of local derivatives"""
    call, calls = probe_call(learner, "train_backprop")
    if calls is None:
        raise Fail(f"{call}: the grader could not observe which of your functions it called.")
    if any(name == "train_numeric" for name, _, _ in calls):
        raise Fail(f"{call} called train_numeric.\nLikely mistake: {CALLS_NUMERIC}")
    reruns = whole_network_reruns(calls)
    if reruns:
        names = ", ".join(f"`{n}`" for n in reruns[:3])
        raise Fail(
            f"{call}: {names} returned the network's output or error with w11 nudged.\n"
            f"Likely mistake: {WHOLE_ERROR}"
        )
