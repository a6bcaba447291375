"""Hidden checks for lesson 10: the `Value` autodiff engine, and lesson 6's network trained with it.

The learner's Value never leaves the worker: check programs (worker/programs/autodiff.py) build named
expressions out of it, call backward() and send back numbers (each output's data and grad, and the grads
of its inputs). The same builders run here on the reference class and on known wrong variants of it
(`=` for `+=`, no topological order, no seed, ...), and a variant is named only when it alone explains the
numbers. A TypeError such as "unsupported operand type(s) for *: 'int' and 'Value'" names the missing
reflected operator by itself. Values, not types, are compared: micrograd's own grads may be ints.

Tolerances, measured (every catalogue row, tests/catalogue.py): the correct styles of Value differ from
the reference by at most 9e-15 (relative) on the expressions, and those of train_autodiff by at most 2e-16
(they do train_backprop's arithmetic); the catalogued mistakes differ by at least 0.098 on the expressions
and 3e-4 on training. RTOL = 1e-9 (the issue's bound for train_autodiff against train_backprop), with
ATOL = 1e-12 for grads that are exactly zero, sits far inside both. A variant is named only within 1e-6
of the answer, with every rival (the correct answer included) at least ten times farther.

The idea check watches train_autodiff: Value.backward is wrapped to count its calls (one per sample), and
in a second run it is run on `out * Value(2.0)` instead of `out`, so every grad it fills is exactly twice
as large; an update that uses `.grad` then lands exactly where the learner's own training with twice the
learning rate does, whatever the engine does with grads in between. Returning train_backprop(...) or
gradients written by hand never calls backward(); calling it and then ignoring `.grad` does not follow the
doubling. The check is worth as much as train_autodiff's accuracy checks together.
"""

import math
from functools import cache, partial

import numpy as np

from solutions import autodiff as ref

from ..learner import describe_call
from ..worker.programs import autodiff as programs
from . import Fail, check
from .compare import expect_close, numbers, wrong_value
from .diagnose import Mistake, as_keywords, likely, single_out
from .test_backprop import DIVERGED, RATE_IGNORED, START_IGNORED, ignores

LESSON = "10-autodiff"
RTOL, ATOL = 1e-9, 1e-12
NAME_TOL = 1e-6

# --- the engine: reference-like variants with one mistake each ------------------------------------------


class Engine:
    """The reference engine with knobs that reproduce the catalogued mistakes."""

    assign = ""  # `=` instead of `+=`: "all" operations, or "all but add" (the given __add__ is right)
    order = "topo"  # "recursive": each node pushes on at once; "bfs": breadth first; "forward": topological,
    # not reversed; "repeat": no visited set
    seed = 1.0
    tanh_input = False
    power_shift = 1  # 0: the power rule without its n - 1
    division = "pow"  # "pow": a / b = a * b**-1; "direct": its own local derivatives
    mul_swapped = False
    rsub_flipped = False

    def __init__(self, data, children=()):
        self.data, self.grad, self.prev, self.back = float(data), 0.0, tuple(children), lambda: None

    def add_to(self, node, amount, op):
        assigns = self.assign == "all" or (self.assign == "all but add" and op != "+")
        node.grad = amount if assigns else node.grad + amount

    def lift(self, other):
        return other if isinstance(other, Engine) else type(self)(other)

    def node(self, data, children, locals_, op=""):
        """A new node whose back() adds local * out.grad to each child."""
        out = type(self)(data, children)

        def back():
            for child, local in zip(children, locals_()):
                self.add_to(child, local * out.grad, op)

        out.back = back
        return out

    def __add__(self, other):
        other = self.lift(other)
        return self.node(self.data + other.data, (self, other), lambda: (1.0, 1.0), "+")

    def __mul__(self, other):
        other = self.lift(other)
        if self.mul_swapped:
            return self.node(self.data * other.data, (self, other), lambda: (self.data, other.data))
        return self.node(self.data * other.data, (self, other), lambda: (other.data, self.data))

    def __pow__(self, k):
        return self.node(self.data**k, (self,), lambda: (k * self.data ** (k - self.power_shift),))

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        if self.division == "pow":
            return self * other**-1
        other = self.lift(other)
        return self.node(
            self.data / other.data, (self, other), lambda: (1.0 / other.data, -self.data / other.data**2)
        )

    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return self - other if self.rsub_flipped else (-self) + other

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return self.lift(other) / self

    def tanh(self):
        t = math.tanh(self.data)
        return self.node(t, (self,), lambda: (1.0 - (self.data**2 if self.tanh_input else t * t),))

    def relu(self):
        return self.node(max(0.0, self.data), (self,), lambda: (1.0 if self.data > 0 else 0.0,))

    def exp(self):
        e = math.exp(self.data)
        return self.node(e, (self,), lambda: (e,))

    def backward(self):
        self.grad = self.seed
        if self.order == "recursive":
            self.push()
            return
        if self.order == "bfs":
            queue, seen = [self], {id(self)}
            while queue:
                node = queue.pop(0)
                node.back()
                for child in node.prev:
                    if id(child) not in seen:
                        seen.add(id(child))
                        queue.append(child)
            return
        order, seen = [], set()

        def visit(node):
            if self.order == "repeat" or id(node) not in seen:
                seen.add(id(node))
                for child in node.prev:
                    visit(child)
                order.append(node)

        visit(self)
        for node in order if self.order == "forward" else reversed(order):
            node.back()

    def push(self):
        self.back()
        for child in self.prev:
            child.push()


def engine(**knobs):
    return type("Value", (Engine,), knobs)


ASSIGN = (
    "a Value used more than once gets only its last contribution: in every _backward, add to the grads "
    "with `+=`, never `=`."
)
NO_ORDER = (
    "a node passed its grad on before every node that uses it had added its part: call the _backward "
    "functions in reverse topological order (a depth-first walk that appends a node after all its "
    "children), each node once."
)
REPEATED = (
    "a node's _backward ran more than once, so its contribution was added again: build the order with a "
    "set of visited nodes, so that each node appears in it once."
)
NO_SEED = (
    "backward() never sets the output's own grad to 1.0, so every grad stays 0: start with `self.grad = 1.0`."
)
TANH_INPUT = (
    "the tanh derivative is taken from the input a instead of the output t = tanh(a): "
    "d tanh(a)/da = 1 - t**2."
)
POWER = "the power rule is missing its n - 1: d(a**k)/da = k * a**(k - 1), not k * a**k."
MUL_SWAPPED = (
    "the two grads of `*` are swapped: d(a*b)/da = b, so a.grad gets b.data * out.grad and b.grad gets "
    "a.data * out.grad."
)
RSUB = (
    "`4.0 - a` comes out as a - 4.0: Python calls a.__rsub__(4.0), which must compute other - self, "
    "e.g. `return (-self) + other`."
)

ENGINE_MISTAKES = {
    ASSIGN: [engine(assign=mode, division=d) for mode in ("all", "all but add") for d in ("pow", "direct")],
    NO_ORDER: [engine(order="recursive"), engine(order="bfs"), engine(order="forward")],
    REPEATED: [engine(order="repeat")],
    NO_SEED: [engine(seed=0.0)],
    TANH_INPUT: [engine(tanh_input=True)],
    POWER: [engine(power_shift=0), engine(power_shift=0, division="direct")],
    MUL_SWAPPED: [engine(mul_swapped=True), engine(mul_swapped=True, division="direct")],
    RSUB: [engine(rsub_flipped=True)],
}

OUTLIVES = (
    "d.backward() changed the grads of a and b, which d does not depend on: the order or the visited set "
    "outlives a backward() call (a class attribute, a global, or a default argument such as `order=[]`). "
    "Make them fresh inside backward()."
)

REFLECTED = {"+": "__radd__", "-": "__rsub__", "*": "__rmul__", "/": "__rtruediv__"}
EXPECTS_VALUE = (
    "a plain number reached code that expects a Value (it has no .data): turn numbers into Values first, "
    "`other = other if isinstance(other, Value) else Value(other)`, as __add__ does."
)


def error_hint(message):
    """A hint that the error text alone singles out, or None."""
    for op, method in REFLECTED.items():
        for number in ("int", "float"):
            if f"unsupported operand type(s) for {op}: '{number}' and 'Value'" in message:
                return (
                    f"a plain number on the left of `{op}` needs `{method}`: Python first asks the number, "
                    f"which cannot handle a Value, then calls the Value's {method}. Define it (one line)."
                )
    if "object has no attribute 'data'" in message and (
        "'int' object" in message or "'float' object" in message
    ):
        return EXPECTS_VALUE
    return None


def flat(rows):
    return [v for row in rows for v in row]


def case_numbers(names):
    return [programs.ORDER.index(name) for name in names]


def reference_cases(names, value_class=ref.Value):
    return [programs.evaluate(value_class, name) for name in names]


def engine_answers(names):
    """{hint: [flat answers]} of every engine variant that runs on these cases (None: the fresh graphs)."""
    found = {}
    for hint, classes in ENGINE_MISTAKES.items():
        for cls in classes:
            try:
                answer = programs.fresh_graphs(cls) if names is None else flat(reference_cases(names, cls))
                found.setdefault(hint, []).append(np.array(answer, dtype=float))
            except Exception:  # noqa: BLE001, S112 - a variant that cannot run explains nothing
                continue
    return found


def run_program(learner, name, *args):
    """learner.program, with a hint when the error text alone names the mistake."""
    try:
        return learner.program(name, *args)
    except Fail as exc:
        hint = error_hint(str(exc))
        if hint and "Likely mistake:" not in str(exc):
            raise Fail(f"{exc}\nLikely mistake: {hint}") from None
        raise


CASE_ADVICE = (
    "compare each grad with lesson 2's `diff` of c.data (the notebook's gradient check) to find the "
    "operation whose local derivative is off."
)


def within(got, want):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.all(np.abs(got - want) <= ATOL + RTOL * np.abs(want)))


def expect_cases(learner, names):
    got = run_program(learner, "value_cases", case_numbers(names))
    want = reference_cases(names)
    if len(got) == len(want) and all(within(g, w) for g, w in zip(got, want)):
        return
    hint = single_out(np.array(flat(got), dtype=float), engine_answers(names), NAME_TOL, (flat(want),))
    for name, g, w in zip(names, got, want):
        if not within(g, w):
            what = f"`{programs.text(name)}`, then c.backward(): ({', '.join(programs.labels(name))})"
            raise Fail(wrong_value(g, w, what, RTOL, likely=hint, advice=CASE_ADVICE))


@check("Value", points=1)
def test_value_add_sub(learner):
    """Value adds and subtracts, with plain numbers on either side, and backward() fills their grads"""
    expect_cases(
        learner, ["a + b", "a + 2.5", "2.5 + a", "1 + a", "a - b", "a - 0.25", "4.0 - a", "1 - b", "-a"]
    )


@check("Value", points=1)
def test_value_mul_div(learner):
    """Value multiplies and divides, with plain numbers on either side, and backward() fills their grads"""
    expect_cases(learner, ["a * b", "a * 3.0", "2 * a", "0.5 * b", "a / b", "a / 4.0", "2.0 / a", "1 / b"])


@check("Value", points=1)
def test_value_pow(learner):
    """Value ** a constant (int or float) has the power rule's gradient"""
    expect_cases(learner, ["a ** 2", "a ** 3", "b ** 3", "a ** 0.5", "a ** -1.5", "(a * b) ** 2"])


@check("Value", points=1)
def test_value_tanh_relu_exp(learner):
    """tanh, relu and exp return new Values with the right local derivatives"""
    expect_cases(
        learner,
        ["a.tanh()", "b.tanh()", "(a * b).tanh()", "a.relu()", "b.relu()", "(a + b).relu()", "(a * b).relu()"]
        + ["a.exp()", "(a * b).exp()"],
    )


@check("Value", points=1)
def test_value_reused(learner):
    """a Value used twice gets both contributions to its grad (+=)"""
    expect_cases(learner, ["a * a", "a + a", "b * b * b", "a * b + a", "(a + b) * (a - b)"])


@check("Value", points=1)
def test_value_diamond(learner):
    """backward() visits each node once, after every node that uses it (a diamond inside the graph)"""
    expect_cases(learner, ["diamond", "deep diamond"])


@check("Value", points=1)
def test_value_deep_chain(learner):
    """backward() reaches the start of a chain of about 200 Values"""
    expect_cases(learner, ["chain"])


@check("Value", points=1)
def test_value_fresh_graphs(learner):
    """a new Value's grad starts at 0, and backward() on one graph leaves another graph's grads alone"""
    got = run_program(learner, "value_fresh_graphs")
    want = programs.fresh_graphs(ref.Value)
    if within(got, want):
        return
    labels = programs.FRESH_LABELS
    wrong = [label for label, g, w in zip(labels, got, want) if not within([g], [w])]
    hint = single_out(np.array(got, dtype=float), engine_answers(None), NAME_TOL, (want,))
    if hint is None and wrong and all("after d.backward()" in label for label in wrong):
        hint = OUTLIVES  # only state kept from c.backward() can reach a and b
    what = f"`{programs.FRESH_TEXT}`: ({', '.join(labels)})"
    raise Fail(wrong_value(got, want, what, RTOL, likely=hint, advice=CASE_ADVICE))


# --- train_autodiff ---------------------------------------------------------------------------------------


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
    accumulate=None,
    on_output=False,
    order=(0, 1, 2, 3),
):
    """train_autodiff's updates with hand-derived gradients (the same arithmetic), and knobs for mistakes."""
    w = [0.5] * 4 if reset else [w11, w12, w21, w22]
    rate = learning_rate if rate is None else rate
    kept = [0.0] * 4
    for _ in range(epochs + extra):
        if accumulate == "epoch":
            kept = [0.0] * 4
        for x, t in zip(np.ravel(X), np.ravel(y)):
            x, t = float(x), float(t)
            h = w[0] * x + w[1]
            up = 1.0 if on_output else 2 * (w[2] * h + w[3] - t)
            g = [up * w[2] * x, up * w[2], up * h, up]
            if accumulate:
                kept = [k + gk for k, gk in zip(kept, g)]
                g = kept
            w = [wk - sign * rate * gk for wk, gk in zip(w, g)]
    return tuple(w[i] for i in order)


def train_mistake(hint, **knobs):
    return Mistake(hint, lambda *args, **kwargs: train(*args, **kwargs, **knobs))


STALE_GRADS = (
    "the grads are not refreshed between samples: Values kept from one sample to the next still hold the "
    "grads of earlier samples, and backward() adds to them. Make fresh Values for each sample, or set each "
    "weight's .grad to 0.0 before its backward()."
)
ON_OUTPUT = (
    "backward() is called on the network's output, not on the error: the gradient to follow is the "
    "error's, so build error_nn(...) from the Values and call backward() on that."
)
TRAINING_MISTAKES = [
    train_mistake(STALE_GRADS, accumulate="run"),
    train_mistake(STALE_GRADS, accumulate="epoch"),
    train_mistake(ON_OUTPUT, on_output=True),
    train_mistake(RATE_IGNORED, rate=0.01),
    train_mistake(DIVERGED, sign=-1.0),
    train_mistake("one epoch too many: run exactly `epochs` passes, `for _ in range(epochs)`.", extra=1),
    train_mistake("one epoch too few: run exactly `epochs` passes, `for _ in range(epochs)`.", extra=-1),
    train_mistake(START_IGNORED, reset=True),
    train_mistake(
        "the weights come back in the wrong order: return (w11, w12, w21, w22).", order=(2, 3, 0, 1)
    ),
]
BLEW_UP = (
    "check the sign of the update (w - learning_rate * grad), and that each sample's grads start from 0 "
    "(fresh Values, or .grad = 0.0 before backward())."
)
NO_TRAIN_BACKPROP = (
    "train_backprop is not part of this lesson: train_autodiff must find its gradients itself, by building "
    "each sample's error from Values and calling backward()."
)


@cache
def data(n=20, seed=1010):
    """Hidden data: lesson 6's recipe with another seed and size."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, 1))
    y = 4 + 3 * X + 0.3 * rng.standard_normal((n, 1))
    return X, y


def call_training(learner, *args, **kwargs):
    call = describe_call("train_autodiff", args, kwargs)
    try:
        got = learner.train_autodiff(*args, **kwargs)
    except Fail as exc:
        if "name 'train_backprop' is not defined" in str(exc):
            raise Fail(f"{exc}\nLikely mistake: {NO_TRAIN_BACKPROP}") from None
        raise
    if isinstance(got, list | np.ndarray) and not np.all(np.isfinite(np.asarray(got, dtype=float))):
        # Several mistakes blow up here (an uphill step, stale grads, a broken Value): name none of them.
        if engine_broken(learner):
            advice = "fix your Value first: train_autodiff uses it, and it does not pass its own checks yet."
        elif one_step_uphill(learner):
            raise Fail(f"{call} returned {got!r:.120}: the weights blew up.\nLikely mistake: {DIVERGED}")
        else:
            advice = BLEW_UP
        raise Fail(f"{call} returned {got!r:.120}: the weights blew up.\nNext step: {advice}")
    return call, numbers(got, 4, call)


def one_step_uphill(learner):
    """True if one update on one sample (where stale grads cannot show) moves exactly uphill."""
    X, y = data()
    args = (X[:1], y[:1], 0.37, -0.21, 0.83, 0.61, 0.05, 1)
    try:
        got = numbers(learner.train_autodiff(*args), 4, "train_autodiff")
    except Fail:
        return False
    return within(got, train(*args, sign=-1.0)) and not within(got, ref.train_autodiff(*args))


def training_hint(learner, got, named, want=None):
    """A catalogued mistake that matches, confirmed by a second call when it says an argument is ignored."""
    found = likely(TRAINING_MISTAKES, got, (), named, want=want)
    slow = {"learning_rate": named["learning_rate"] * 1e-3}
    if found == RATE_IGNORED and not ignores(learner, "train_autodiff", named, {}, slow):
        return None
    start = {k: named[k] + 0.25 for k in ("w11", "w12", "w21", "w22")}
    if found == START_IGNORED and not ignores(learner, "train_autodiff", named, slow, start):
        return None
    return found


ENGINE_PROBE = ["a + b", "a - 0.25", "a * b", "a * 3.0", "a * a", "a * b + a", "(a + b) * (a - b)"]


def engine_broken(learner):
    """True if the learner's Value gets the operations that error_nn uses wrong: then train_autodiff is
    wrong downstream of it, and naming a training mistake would be a guess."""
    try:
        got = learner.program("value_cases", case_numbers(ENGINE_PROBE))
    except Fail:
        return True
    return not all(within(g, w) for g, w in zip(got, reference_cases(ENGINE_PROBE)))


def expect_weights(learner, *args, **kwargs):
    call, got = call_training(learner, *args, **kwargs)
    want = ref.train_autodiff(*args, **kwargs)
    what = f"{call} (w11, w12, w21, w22)"
    if within(got, want):
        return
    if engine_broken(learner):
        advice = "train_autodiff uses your Value, which does not pass its own checks yet: fix it first."
        raise Fail(wrong_value(got, want, what, RTOL, advice=advice))
    named = as_keywords(ref.train_autodiff, args, kwargs)
    hint = partial(training_hint, learner, got, named)
    expect_close(got, want, what, rtol=RTOL, atol=ATOL, hint=hint)


START = dict(w11=0.3, w12=-0.2, w21=0.8, w22=0.1)


@check("train_autodiff", points=1)
def test_train_autodiff_one_epoch(learner):
    """train_autodiff with epochs=1 makes one pass of per-sample updates"""
    X, y = data()
    expect_weights(learner, X, y, **START, learning_rate=0.05, epochs=1)


@check("train_autodiff", points=1)
def test_train_autodiff_two_epochs(learner):
    """train_autodiff with epochs=2 makes two passes, from the weights and rate it is given"""
    X, y = data()
    expect_weights(learner, X, y, 0.9, 0.4, -0.5, 1.2, 0.03, 2)


@check("train_autodiff", points=1)
def test_train_autodiff_defaults(learner):
    """train_autodiff with its default arguments ends where lesson 6's train_backprop does"""
    X, y = data()
    expect_weights(learner, X, y)


@check("train_autodiff", points=1)
def test_train_autodiff_arguments(learner):
    """train_autodiff uses the learning rate, epochs and initial weights it is given"""
    X, y = data(n=15, seed=1011)
    expect_weights(learner, X, y, 0.2, 0.6, 0.4, -0.3, learning_rate=0.03, epochs=17)


PROBE = dict(w11=0.37, w12=-0.21, w21=0.83, w22=0.61, learning_rate=0.002, epochs=2)  # small: no blow-up
CALLS_BACKPROP = (
    "train_autodiff calls train_backprop, lesson 6's hand-written backward pass: build each sample's error "
    "from Values with error_nn and let backward() find the gradient."
)
NO_BACKWARD = (
    "train_autodiff finds its gradients without Value.backward() (by formulas written by hand, or by "
    "another trainer): build each sample's error with error_nn from four Values, call backward() on it, "
    "and update each weight from its .grad."
)
IGNORES_GRAD = (
    "train_autodiff calls backward() but its updates do not use the .grad it fills: update each weight "
    "with `w - learning_rate * w_value.grad`."
)


def probe_data():
    return data(n=6, seed=1012)


def calls_trainer(learner, name):
    """True if a traced one-sample run of train_autodiff calls the learner's `name`."""
    X, y = probe_data()
    try:
        _, calls = learner.traced("train_autodiff", X[:1], y[:1], *list(PROBE.values())[:5], 1)
    except Fail:
        return False
    return any(called == name for called, _, _ in calls or [])


@check("train_autodiff", points=4)
def test_train_autodiff_uses_backward(learner):
    """train_autodiff gets each sample's gradient from one backward() call and updates from .grad"""
    X, y = probe_data()
    args = (X, y, *PROBE.values())
    call = describe_call("train_autodiff", args, {})
    calls, plain, doubled = run_program(learner, "autodiff_training", *args)
    if calls == 0:
        if calls_trainer(learner, "train_backprop"):
            raise Fail(
                f"{call} never called Value.backward(); it called train_backprop.\n"
                f"Likely mistake: {CALLS_BACKPROP}"
            )
        raise Fail(f"{call} never called Value.backward().\nLikely mistake: {NO_BACKWARD}")
    if calls % X.size:  # a multiple: an epoch too many is the accuracy checks' business
        raise Fail(
            f"{call} called Value.backward() {calls} times for {X.size} samples and {PROBE['epochs']} "
            "epochs: call it once per sample, on that sample's error."
        )
    if doubled is not None and within(doubled, plain):
        message = f"{call}: when backward() fills every grad twice as large, the weights do not change."
        if engine_broken(learner):  # e.g. a backward() that leaves every grad at 0
            raise Fail(f"{message}\nNext step: fix your Value first: it does not pass its own checks yet.")
        raise Fail(f"{message}\nLikely mistake: {IGNORES_GRAD}")
    _, own = call_training(learner, X, y, **{**PROBE, "learning_rate": 2 * PROBE["learning_rate"]})
    if doubled is not None and (within(doubled, own) or within(own, plain)):  # the latter: rate ignored
        return
    raise Fail(
        f"{call}: when backward() fills every grad twice as large, the weights do not move as they do with "
        "twice the learning rate. Update each weight from its .grad, right after that sample's backward()."
    )
