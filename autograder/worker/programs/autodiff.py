"""Check programs for lesson 10: expressions built from the learner's `Value`, and train_autodiff watched.

A learner's Value objects never leave the worker. `value_cases` builds named expressions (CASES) out of the
learner's class, calls backward() and returns only numbers: each output's data and grad and the grads of
the Values it came from. The grader runs the same builders on the reference class in its own process and
compares. `autodiff_training` runs train_autodiff with Value.backward wrapped: it counts the calls, and in
a second run makes every grad that backward() fills twice as large, so an update that really uses `.grad`
moves twice as far. Nothing here is an answer: these are inputs and plumbing.
"""

import math

import numpy as np

from ..plain import describe_exception
from . import ProgramError, call, program

CHAIN = 66  # links of three nodes each: about 200 nodes, within what a recursive topological sort handles


def _fresh_pair(V):
    a, b = V(1.5), V(-0.8)
    return a, b


def _binary(build):
    """A case on a = Value(1.5), b = Value(-0.8): returns (out, [a, b])."""

    def case(V):
        a, b = _fresh_pair(V)
        return build(a, b), [a, b]

    return case


def _diamond(V):
    """u = x * y is used along three paths of different lengths."""
    x, y = V(0.7), V(-1.2)
    u = x * y
    out = u.tanh() * (u * 0.5 + 1.0).exp() + u
    return out, [x, y, u]


def _diamond_deep(V):
    x = V(0.4)
    u = x * 1.5 + 0.2
    v = u * u
    out = (v + 1.0) * u.tanh() - (v * 0.3).exp() + u**3
    return out, [x, u, v]


def _deep_chain(V):
    x = V(0.3)
    v = x
    for _ in range(CHAIN):
        v = (v * 1.05 - 0.01).tanh()
    return v, [x]


# name: (text the learner reads, builder). Leaves a = 1.5 and b = -0.8 differ, so swapped grads show.
CASES = {
    # + and -, numbers on both sides
    "a + b": ("c = a + b", _binary(lambda a, b: a + b)),
    "a + 2.5": ("c = a + 2.5", _binary(lambda a, b: a + 2.5)),
    "2.5 + a": ("c = 2.5 + a", _binary(lambda a, b: 2.5 + a)),
    "1 + a": ("c = 1 + a", _binary(lambda a, b: 1 + a)),
    "a - b": ("c = a - b", _binary(lambda a, b: a - b)),
    "a - 0.25": ("c = a - 0.25", _binary(lambda a, b: a - 0.25)),
    "4.0 - a": ("c = 4.0 - a", _binary(lambda a, b: 4.0 - a)),
    "1 - b": ("c = 1 - b", _binary(lambda a, b: 1 - b)),
    "-a": ("c = -a", _binary(lambda a, b: -a)),
    # * and /
    "a * b": ("c = a * b", _binary(lambda a, b: a * b)),
    "a * 3.0": ("c = a * 3.0", _binary(lambda a, b: a * 3.0)),
    "2 * a": ("c = 2 * a", _binary(lambda a, b: 2 * a)),
    "0.5 * b": ("c = 0.5 * b", _binary(lambda a, b: 0.5 * b)),
    "a / b": ("c = a / b", _binary(lambda a, b: a / b)),
    "a / 4.0": ("c = a / 4.0", _binary(lambda a, b: a / 4.0)),
    "2.0 / a": ("c = 2.0 / a", _binary(lambda a, b: 2.0 / a)),
    "1 / b": ("c = 1 / b", _binary(lambda a, b: 1 / b)),
    # ** with a constant power
    "a ** 2": ("c = a ** 2", _binary(lambda a, b: a**2)),
    "a ** 3": ("c = a ** 3", _binary(lambda a, b: a**3)),
    "b ** 3": ("c = b ** 3", _binary(lambda a, b: b**3)),
    "a ** 0.5": ("c = a ** 0.5", _binary(lambda a, b: a**0.5)),
    "a ** -1.5": ("c = a ** -1.5", _binary(lambda a, b: a**-1.5)),
    "(a * b) ** 2": ("c = (a * b) ** 2", _binary(lambda a, b: (a * b) ** 2)),
    # tanh, relu, exp (relu never at exactly 0, where conventions differ)
    "a.tanh()": ("c = a.tanh()", _binary(lambda a, b: a.tanh())),
    "b.tanh()": ("c = b.tanh()", _binary(lambda a, b: b.tanh())),
    "(a * b).tanh()": ("c = (a * b).tanh()", _binary(lambda a, b: (a * b).tanh())),
    "a.relu()": ("c = a.relu()", _binary(lambda a, b: a.relu())),
    "b.relu()": ("c = b.relu()", _binary(lambda a, b: b.relu())),
    "(a + b).relu()": ("c = (a + b).relu()", _binary(lambda a, b: (a + b).relu())),
    "(a * b).relu()": ("c = (a * b).relu()", _binary(lambda a, b: (a * b).relu())),
    "a.exp()": ("c = a.exp()", _binary(lambda a, b: a.exp())),
    "(a * b).exp()": ("c = (a * b).exp()", _binary(lambda a, b: (a * b).exp())),
    # one Value used more than once
    "a * a": ("c = a * a", _binary(lambda a, b: a * a)),
    "a + a": ("c = a + a", _binary(lambda a, b: a + a)),
    "b * b * b": ("c = b * b * b", _binary(lambda a, b: b * b * b)),
    "a * b + a": ("c = a * b + a", _binary(lambda a, b: a * b + a)),
    "(a + b) * (a - b)": ("c = (a + b) * (a - b)", _binary(lambda a, b: (a + b) * (a - b))),
    # diamonds: a node inside the graph reached along paths of different lengths
    "diamond": (
        "x, y = Value(0.7), Value(-1.2); u = x * y; c = u.tanh() * (u * 0.5 + 1.0).exp() + u",
        _diamond,
    ),
    "deep diamond": (
        "x = Value(0.4); u = x * 1.5 + 0.2; v = u * u; c = (v + 1.0) * u.tanh() - (v * 0.3).exp() + u ** 3",
        _diamond_deep,
    ),
    "chain": (
        f"x = Value(0.3); v = x; then {CHAIN} times v = (v * 1.05 - 0.01).tanh(): a chain of about "
        f"{3 * CHAIN} Values; c = v",
        _deep_chain,
    ),
}
LEAVES = "a = Value(1.5), b = Value(-0.8)"
INPUTS = {"diamond": ("x", "y", "u"), "deep diamond": ("x", "u", "v"), "chain": ("x",)}


def labels(name):
    """What each number of a case is: c.data, c.grad, then the grads of its inputs (and shared nodes)."""
    return ["c.data", "c.grad", *(f"{leaf}.grad" for leaf in INPUTS.get(name, ("a", "b")))]


def text(name):
    words = CASES[name][0]
    return words if name in INPUTS else f"{words} with {LEAVES}"


def number(value, what):
    """A learner's .data or .grad as a float (ints and numpy numbers count), else a ProgramError."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        kind = "None" if value is None else f"a {type(value).__name__[:60]}"
        raise ProgramError(f"{what} is {kind}; .data and .grad should be plain numbers (floats).")
    return float(value)


def the_class(namespace):
    V = namespace.get("Value")
    if not isinstance(V, type):
        raise ProgramError(
            "`Value` is not defined as a class. Keep the class's name as given: `class Value:`."
        )
    return V


def stub_name(exc, namespace):
    """'Value.tanh' for a NotImplementedError raised in the learner's method tanh."""
    name, tb = "Value", exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if tb.tb_frame.f_globals is namespace and not code.co_name.startswith("<"):
            name = getattr(code, "co_qualname", code.co_name)
        tb = tb.tb_next
    return name


def evaluate(V, name, namespace=None):
    """[out.data, out.grad, grad of each leaf...] after out.backward() on the case `name`, built with V.

    Run on the reference class in the grader, and on the learner's class here, where any failure becomes
    a ProgramError naming the expression."""
    try:
        out, leaves = CASES[name][1](V)
        out.backward()
        values = [out.data, out.grad, *(leaf.grad for leaf in leaves)]
    except NotImplementedError as exc:
        where = stub_name(exc, namespace) if namespace is not None else "Value"
        raise ProgramError(
            f"`{where}` raised NotImplementedError while evaluating `{text(name)}`: replace the "
            "`raise NotImplementedError()` stub with code."
        ) from None
    except ProgramError:
        raise
    except RecursionError:
        raise ProgramError(f"`{text(name)}`, then c.backward(), raised RecursionError.") from None
    except Exception as exc:  # noqa: BLE001 - the learner's failure, reported in the learner's terms
        raise ProgramError(f"`{text(name)}`, then c.backward(), raised {describe_exception(exc)}") from None
    return [
        number(v, f"In `{text(name)}`, after c.backward(), {label}") for v, label in zip(values, labels(name))
    ]


ORDER = list(CASES)  # cases travel by number: call arguments are numbers and arrays only


@program
def value_cases(namespace, numbers):
    """The numbers of the cases ORDER[i] for i in `numbers`, in order, from the learner's Value."""
    V = the_class(namespace)
    return [evaluate(V, ORDER[int(i)], namespace) for i in numbers]


def fresh_graphs(V):
    """Two graphs, one after the other: [first's grads, second's grads, first's grads again]; a new Value
    starts with grad 0 and backward() on one graph must not touch another."""
    a, b = V(1.5), V(-0.8)
    before = [a.data, a.grad, b.grad]
    first = (a * b).tanh() + a
    first.backward()
    after_first = [first.data, first.grad, a.grad, b.grad]
    p, q = V(0.3), V(2.0)
    second = p * q + q**2
    second.backward()
    return before + after_first + [second.data, second.grad, p.grad, q.grad, a.grad, b.grad]


FRESH_TEXT = (
    "a, b = Value(1.5), Value(-0.8); c = (a * b).tanh() + a; c.backward(); then p, q = Value(0.3), "
    "Value(2.0); d = p * q + q ** 2; d.backward()"
)
FRESH_LABELS = [
    "a.data before any backward()",
    "a.grad before any backward()",
    "b.grad before any backward()",
    "c.data",
    "c.grad",
    "a.grad after c.backward()",
    "b.grad after c.backward()",
    "d.data",
    "d.grad",
    "p.grad",
    "q.grad",
    "a.grad after d.backward()",
    "b.grad after d.backward()",
]


@program
def value_fresh_graphs(namespace):
    V = the_class(namespace)
    try:
        values = fresh_graphs(V)
    except NotImplementedError as exc:
        raise ProgramError(
            f"`{stub_name(exc, namespace)}` raised NotImplementedError while evaluating `{FRESH_TEXT}`: "
            "replace the `raise NotImplementedError()` stub with code."
        ) from None
    except Exception as exc:  # noqa: BLE001 - the learner's failure, reported in the learner's terms
        raise ProgramError(f"`{FRESH_TEXT}` raised {describe_exception(exc)}") from None
    return [number(v, f"In `{FRESH_TEXT}`, {label}") for v, label in zip(values, FRESH_LABELS)]


class Watch:
    """Value.backward wrapped for one run of train_autodiff: count its calls and, when `double`, run it on
    `out * Value(2.0)` instead of `out`, so that every grad it fills is exactly twice as large (a factor 2
    is exact in floating point) whatever the engine does with grads. An update that uses `.grad` then lands
    exactly where the learner's own training with twice the learning rate does."""

    def __init__(self, V, double):
        self.V, self.double, self.calls = V, double, 0
        self.saved = V.__dict__.get("backward")

    def __enter__(self):
        original = self.V.backward
        watch = self

        def backward(node, *args, **kwargs):
            watch.calls += 1
            return original(node * type(node)(2.0) if watch.double else node, *args, **kwargs)

        try:
            self.V.backward = backward
        except (AttributeError, TypeError) as exc:
            watching = f"the grader could not watch Value.backward ({describe_exception(exc)})."
            raise ProgramError(watching) from None
        return self

    def __exit__(self, *exc):
        try:
            if self.saved is None:
                delattr(self.V, "backward")
            else:
                self.V.backward = self.saved
        except (AttributeError, TypeError):
            pass
        return False


def weights(result, what):
    if isinstance(result, np.ndarray):
        result = list(result.ravel())
    if not isinstance(result, tuple | list) or len(result) != 4:
        raise ProgramError(f"{what} returned {type(result).__name__}; it should return a tuple of 4 numbers.")
    return [number(w, f"{what} (item {i + 1} of 4)") for i, w in enumerate(result)]


def train(namespace, args):
    what = f"train_autodiff(X, y, {', '.join(f'{a:g}' for a in args[2:])})"
    return weights(call(namespace, "train_autodiff", *args, text=what), what)


@program
def autodiff_training(namespace, X, y, w11, w12, w21, w22, learning_rate, epochs):
    """[backward() calls, weights, weights when every grad backward() filled is doubled]."""
    V = the_class(namespace)
    args = (X, y, w11, w12, w21, w22, learning_rate, epochs)
    with Watch(V, double=False) as watch:
        plain = train(namespace, args)
    calls = watch.calls
    with Watch(V, double=True):
        doubled = train(namespace, args)
    finite = all(math.isfinite(w) for w in doubled)
    return [calls, plain, doubled if finite else None]
