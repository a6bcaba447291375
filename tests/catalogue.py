"""The catalogue: correct styles and realistic mistakes, one row per submission variant.

Each row is (lesson, function, kind, label, code, diagnosis). `code` defines `function` only; the rest of
the lesson comes from the reference. A "correct" row must earn every point of its function; a "mistake"
row must lose some, and its feedback must contain "Likely mistake:" and `diagnosis`, a phrase of the hint
that names it (the DIAGNOSIS column at the end of this file; a tuple of phrases when one mistake is rightly
named in more than one way). No row may get a hint that names a mistake it does not have.

`python tests/catalogue.py` (or `make catalogue`) grades every row through `python -m autograder grade`
and prints, per function, how many correct styles were accepted, how many mistakes were caught and named,
and how many wrong hints were given: a hint that names a mistake the submission does not have (any hint
for a correct row; for a mistake row, a hint that carries none of its DIAGNOSIS phrases).
"""

import importlib
import inspect
import json
import subprocess
import sys
import tempfile
import textwrap
from collections import namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

Row = namedtuple("Row", "lesson function kind label code diagnosis")

ROWS = []


def correct(lesson, function, label, code):
    ROWS.append(Row(lesson, function, "correct", label, code.strip(), None))


def mistake(lesson, function, label, code, diagnosis=None):
    ROWS.append(Row(lesson, function, "mistake", label, code.strip(), diagnosis))


# --- 01-functions ------------------------------------------------------------------------------------------
L1 = "01-functions"
correct(L1, "sq", "multiply", "def sq(x):\n    return x * x")
correct(L1, "sq", "power", "def sq(x):\n    return x ** 2")
correct(L1, "sq", "pow builtin", "def sq(x):\n    return pow(x, 2)")
mistake(L1, "sq", "xor for power", "def sq(x):\n    return x ^ 2")
mistake(L1, "sq", "doubles", "def sq(x):\n    return 2 * x")
mistake(L1, "sq", "prints, no return", "def sq(x):\n    print(x * x)")

correct(L1, "add", "plus", "def add(a, b):\n    return a + b")
correct(L1, "add", "builtin sum", "def add(a, b):\n    return sum([a, b])")
correct(L1, "add", "reversed", "def add(a, b):\n    return b + a")
mistake(L1, "add", "subtracts", "def add(a, b):\n    return a - b")
mistake(L1, "add", "ints only", "def add(a, b):\n    return int(a) + int(b)")

correct(L1, "total", "loop", "def total(*args):\n    s = 0\n    for a in args:\n        s += a\n    return s")
correct(L1, "total", "builtin sum", "def total(*args):\n    return sum(args)")
correct(
    L1,
    "total",
    "reduce",
    "import functools\nimport operator\n\ndef total(*args):\n    return functools.reduce(operator.add, args, 0)",
)
mistake(
    L1,
    "total",
    "starts at first arg",
    "def total(*args):\n    s = args[0]\n    for a in args[1:]:\n        s += a\n    return s",
)
mistake(
    L1,
    "total",
    "skips first",
    "def total(*args):\n    s = 0\n    for a in args[1:]:\n        s += a\n    return s",
)
mistake(
    L1,
    "total",
    "returns inside loop",
    "def total(*args):\n    s = 0\n    for a in args:\n        s += a\n        return s\n    return s",
)
mistake(L1, "total", "two args only", "def total(a=0, b=0):\n    return a + b")

correct(
    L1,
    "apply_transformation",
    "loop",
    "def apply_transformation(f, arr):\n    out = []\n    for a in arr:\n        out.append(f(a))\n    return out",
)
correct(
    L1,
    "apply_transformation",
    "comprehension",
    "def apply_transformation(f, arr):\n    return [f(a) for a in arr]",
)
correct(
    L1, "apply_transformation", "list(map)", "def apply_transformation(f, arr):\n    return list(map(f, arr))"
)
mistake(
    L1, "apply_transformation", "returns map", "def apply_transformation(f, arr):\n    return map(f, arr)"
)
mistake(
    L1,
    "apply_transformation",
    "reversed",
    "def apply_transformation(f, arr):\n    return [f(a) for a in reversed(arr)]",
)
mistake(
    L1,
    "apply_transformation",
    "returns last only",
    "def apply_transformation(f, arr):\n    for a in arr:\n        v = f(a)\n    return [v]",
)
mistake(L1, "apply_transformation", "ignores f", "def apply_transformation(f, arr):\n    return list(arr)")

mistake(L1, "total", "counts instead of adding", "def total(*args):\n    return len(args)")
mistake(
    L1,
    "apply_transformation",
    "applies f twice",
    "def apply_transformation(f, arr):\n    return [f(f(a)) for a in arr]",
)

mistake(
    L1,
    "apply_transformation",
    "own table of known functions",
    """
import math

KNOWN = {"sq": lambda a: a * a, "cube": lambda a: a**3, "sin": math.sin}

def apply_transformation(f, arr):
    rule = KNOWN.get(repr(f), lambda a: a)
    return [rule(a) for a in arr]
""",
)
mistake(
    L1,
    "total",
    "truncates with int()",
    "def total(*args):\n    s = 0\n    for a in args:\n        s = s + int(a)\n    return s",
)

# --- 02-numeric-diff ---------------------------------------------------------------------------------------
L2 = "02-numeric-diff"
correct(
    L2,
    "diff",
    "central 1e-6",
    "def diff(fn, x, delta=1e-6):\n    return (fn(x + delta) - fn(x - delta)) / (2 * delta)",
)
correct(
    L2, "diff", "forward 1e-8", "def diff(fn, x, delta=1e-8):\n    return (fn(x + delta) - fn(x)) / delta"
)
correct(
    L2,
    "diff",
    "forward, step taken",
    "def diff(fn, x, delta=1e-7):\n    x1 = x + delta\n    return (fn(x1) - fn(x)) / (x1 - x)",
)
mistake(
    L2,
    "diff",
    "seed step 1e-12",
    "def diff(fn, x, delta=1e-12):\n    x1 = x + delta\n    return (fn(x1) - fn(x)) / (x1 - x)",
)
mistake(L2, "diff", "step 1e-2", "def diff(fn, x, delta=1e-2):\n    return (fn(x + delta) - fn(x)) / delta")
mistake(L2, "diff", "sign", "def diff(fn, x, delta=1e-6):\n    return (fn(x) - fn(x + delta)) / delta")
mistake(
    L2,
    "diff",
    "central without 2",
    "def diff(fn, x, delta=1e-6):\n    return (fn(x + delta) - fn(x - delta)) / delta",
)
mistake(L2, "diff", "returns the value", "def diff(fn, x, delta=1e-6):\n    return fn(x)")

mistake(
    L2, "diff", "forward 1e-3", "def diff(fn, x, delta=1e-3):\n    return (fn(x + delta) - fn(x)) / delta"
)
mistake(
    L2,
    "diff",
    "forward 1e-4, step taken",
    "def diff(fn, x, delta=1e-4):\n    x1 = x + delta\n    return (fn(x1) - fn(x)) / (x1 - x)",
)
mistake(
    L2,
    "diff",
    "central 1e-15",
    "def diff(fn, x, delta=1e-15):\n    return (fn(x + delta) - fn(x - delta)) / (2 * delta)",
)
mistake(
    L2,
    "diff",
    "/ 2 * delta precedence",
    "def diff(fn, x, delta=1e-6):\n    return (fn(x + delta) - fn(x - delta)) / 2 * delta",
)
mistake(
    L2,
    "diff",
    "exact derivatives by name",
    """
import math

SLOPES = {
    "sq": lambda x: 2 * x,
    "cube": lambda x: 3 * x * x,
    "sin": math.cos,
    "exp": math.exp,
    "quartic": lambda x: 2 * x**3 - 6 * x**2 + 1,
}

def diff(fn, x, delta=1e-6):
    name = getattr(fn, "name", repr(fn))
    if name in SLOPES:
        return SLOPES[name](x)
    return 0.0
""",
)
mistake(
    L2,
    "diff",
    "exact derivatives by probing fn",
    """
import math

def diff(fn, x, delta=1e-6):
    if fn(2.0) == 4.0 and fn(-3.0) == 9.0:
        return 2 * x
    if fn(2.0) == 8.0 and fn(-1.0) == -1.0:
        return 3 * x * x
    if fn(0.0) == 0.0 and fn(1.0) == math.sin(1.0):
        return math.cos(x)
    if fn(0.0) == 1.0 and fn(1.0) == math.e:
        return math.exp(x)
    if fn(0.0) == -3.0 and fn(2.0) == -9.0:
        return 2 * x**3 - 6 * x**2 + 1
    return 0.0
""",
)

# --- 03-partial-derivatives --------------------------------------------------------------------------------
L3 = "03-partial-derivatives"
correct(
    L3,
    "diffp",
    "central, new lists",
    """
def diffp(fn, idx, *args, delta=1e-6):
    plus, minus = list(args), list(args)
    plus[idx] = args[idx] + delta
    minus[idx] = args[idx] - delta
    return (fn(*plus) - fn(*minus)) / (2 * delta)
""",
)
correct(
    L3,
    "diffp",
    "forward, copy",
    """
def diffp(fn, idx, *args, delta=1e-7):
    moved = list(args)
    moved[idx] = moved[idx] + delta
    return (fn(*moved) - fn(*args)) / delta
""",
)
correct(
    L3,
    "diffp",
    "tuple slicing",
    """
def diffp(fn, idx, *args, delta=1e-6):
    plus = args[:idx] + (args[idx] + delta,) + args[idx + 1:]
    return (fn(*plus) - fn(*args)) / delta
""",
)
mistake(
    L3,
    "diffp",
    "mutates with +=",
    """
def diffp(fn, idx, *args, delta=1e-6):
    y = fn(*args)
    args = list(args)
    args[idx] += delta
    return (fn(*args) - y) / delta
""",
)
mistake(
    L3,
    "diffp",
    "wrong index",
    """
def diffp(fn, idx, *args, delta=1e-6):
    moved = list(args)
    moved[0] = moved[0] + delta
    return (fn(*moved) - fn(*args)) / delta
""",
)
mistake(
    L3,
    "diffp",
    "seed step 1e-12",
    """
def diffp(fn, idx, *args, delta=1e-12):
    moved = list(args)
    moved[idx] = moved[idx] + delta
    return (fn(*moved) - fn(*args)) / delta
""",
)
mistake(
    L3,
    "diffp",
    "off-by-one index",
    """
def diffp(fn, idx, *args, delta=1e-6):
    moved = list(args)
    moved[idx - 1] = moved[idx - 1] + delta
    return (fn(*moved) - fn(*args)) / delta
""",
)
mistake(
    L3,
    "diffp",
    "sign",
    """
def diffp(fn, idx, *args, delta=1e-6):
    moved = list(args)
    moved[idx] = moved[idx] + delta
    return (fn(*args) - fn(*moved)) / delta
""",
)

mistake(
    L3,
    "diffp",
    "forward 1e-3",
    """
def diffp(fn, idx, *args, delta=1e-3):
    moved = list(args)
    moved[idx] = moved[idx] + delta
    return (fn(*moved) - fn(*args)) / delta
""",
)
mistake(
    L3,
    "diffp",
    "central 1e-14",
    """
def diffp(fn, idx, *args, delta=1e-14):
    plus, minus = list(args), list(args)
    plus[idx] = args[idx] + delta
    minus[idx] = args[idx] - delta
    return (fn(*plus) - fn(*minus)) / (2 * delta)
""",
)
mistake(
    L3,
    "diffp",
    "/ 2 * delta precedence",
    """
def diffp(fn, idx, *args, delta=1e-6):
    plus, minus = list(args), list(args)
    plus[idx] = args[idx] + delta
    minus[idx] = args[idx] - delta
    return (fn(*plus) - fn(*minus)) / 2 * delta
""",
)
mistake(
    L3,
    "diffp",
    "two copies share the array",
    """
def diffp(fn, idx, *args, delta=1e-6):
    plus, minus = list(args), list(args)
    plus[idx] += delta
    minus[idx] -= delta
    return (fn(*plus) - fn(*minus)) / (2 * delta)
""",
)
mistake(
    L3,
    "diffp",
    "float() on every argument",
    """
def diffp(fn, idx, *args, delta=1e-6):
    values = [float(a) for a in args]
    plus = values[:idx] + [values[idx] + delta] + values[idx + 1:]
    return (fn(*plus) - fn(*values)) / delta
""",
)
mistake(
    L3,
    "diffp",
    "exact partials by name",
    """
import math

def diffp(fn, idx, *args, delta=1e-6):
    name = repr(fn)
    if name == "line_y":
        m, c, x = args
        return [x, 1.0, m][idx]
    if name == "mixed3":
        a, b, c = args
        return [b * b + math.sin(c), 2 * a * b, math.cos(c) * a + 3 * c * c][idx]
    if name == "five_x1_plus_x2_squared":
        return [5.0, 2 * args[1]][idx]
    if name == "error_of_line":
        X, y, m, c = args
        r = m * X.ravel() + c - y.ravel()
        return float([0.0, 0.0, 2 * (r * X.ravel()).sum(), 2 * r.sum()][idx])
    return 0.0
""",
)

# --- 04-chain-rule -----------------------------------------------------------------------------------------
L4 = "04-chain-rule"
correct(
    L4,
    "chain_diff",
    "product of local derivatives",
    "def chain_diff(outer, inner, x):\n    return diff(outer, inner(x)) * diff(inner, x)",
)
correct(
    L4,
    "chain_diff",
    "nested central helper",
    """
def chain_diff(outer, inner, x):
    def slope(f, v, h=1e-5):
        return (f(v + h) - f(v - h)) / (2 * h)

    return slope(outer, inner(x)) * slope(inner, x)
""",
)
mistake(
    L4,
    "chain_diff",
    "composite, central difference",
    """
def chain_diff(outer, inner, x):
    h = 1e-6
    return (outer(inner(x + h)) - outer(inner(x - h))) / (2 * h)
""",
)
mistake(
    L4,
    "chain_diff",
    "composite through diff",
    "def chain_diff(outer, inner, x):\n    return diff(lambda v: outer(inner(v)), x)",
)
mistake(
    L4,
    "chain_diff",
    "composite, forward difference",
    """
def chain_diff(outer, inner, x):
    h = 1e-7
    return (outer(inner(x + h)) - outer(inner(x))) / h
""",
)
correct(
    L4,
    "chain_diff",
    "own forward differences",
    """
def chain_diff(outer, inner, x):
    h = 1e-7
    t = inner(x)
    return (outer(t + h) - outer(t)) / h * (inner(x + h) - t) / h
""",
)
mistake(
    L4,
    "chain_diff",
    "outer at x",
    "def chain_diff(outer, inner, x):\n    return diff(outer, x) * diff(inner, x)",
)
mistake(
    L4,
    "chain_diff",
    "swapped",
    "def chain_diff(outer, inner, x):\n    return diff(inner, outer(x)) * diff(outer, x)",
)
mistake(
    L4,
    "chain_diff",
    "sum not product",
    "def chain_diff(outer, inner, x):\n    return diff(outer, inner(x)) + diff(inner, x)",
)
mistake(
    L4,
    "chain_diff",
    "missing inner factor",
    "def chain_diff(outer, inner, x):\n    return diff(outer, inner(x))",
)
mistake(
    L4, "chain_diff", "missing outer factor", "def chain_diff(outer, inner, x):\n    return diff(inner, x)"
)

# --- 05-gradient-descent -----------------------------------------------------------------------------------
L5 = "05-gradient-descent"
correct(
    L5,
    "error",
    "numpy, flattened",
    """
def error(m, c, X, y):
    r = m * np.ravel(X) + c - np.ravel(y)
    return float(np.sum(r ** 2))
""",
)
correct(
    L5,
    "error",
    "loop",
    """
def error(m, c, X, y):
    total = 0.0
    for x, t in zip(np.ravel(X), np.ravel(y)):
        total += (m * x + c - t) ** 2
    return total
""",
)
correct(
    L5,
    "error",
    "reshape and dot",
    """
def error(m, c, X, y):
    r = (m * X + c).reshape(-1) - y.reshape(-1)
    return float(r @ r)
""",
)
mistake(
    L5,
    "error",
    "mean, not sum",
    "def error(m, c, X, y):\n    return float(np.mean((m * np.ravel(X) + c - np.ravel(y)) ** 2))",
)
mistake(
    L5,
    "error",
    "(n,1) - (n,) broadcasting",
    "def error(m, c, X, y):\n    return float(np.sum((m * X + c - y) ** 2))",
)
mistake(
    L5,
    "error",
    "no square",
    "def error(m, c, X, y):\n    return float(np.sum(m * np.ravel(X) + c - np.ravel(y)))",
)
mistake(
    L5,
    "error",
    "absolute error",
    "def error(m, c, X, y):\n    return float(np.sum(np.abs(m * np.ravel(X) + c - np.ravel(y))))",
)
mistake(
    L5,
    "error",
    "squares the sum",
    "def error(m, c, X, y):\n    return float(np.sum(m * np.ravel(X) + c - np.ravel(y)) ** 2)",
)
mistake(
    L5,
    "error",
    "halved",
    "def error(m, c, X, y):\n    r = m * np.ravel(X) + c - np.ravel(y)\n    return float(0.5 * np.sum(r ** 2))",
)

GRAD_FIT = """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    for _ in range(EPOCHS):
        dE_dm = diffp(error, 0, m, c, X, y)
        dE_dc = diffp(error, 1, m, c, X, y)
        UPDATE
    return m, c
"""
SIMULTANEOUS = "m, c = m - learning_rate * dE_dm, c - learning_rate * dE_dc"


def grad_fit(update=SIMULTANEOUS, epochs="epochs"):
    return GRAD_FIT.replace("UPDATE", update).replace("EPOCHS", epochs)


correct(L5, "grad_fit", "numeric gradient (given diffp)", grad_fit())
correct(
    L5,
    "grad_fit",
    "analytic gradient, numpy",
    """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    x, t = np.ravel(X), np.ravel(y)
    for _ in range(epochs):
        r = m * x + c - t
        m, c = m - learning_rate * 2 * np.sum(r * x), c - learning_rate * 2 * np.sum(r)
    return float(m), float(c)
""",
)
correct(
    L5,
    "grad_fit",
    "forward differences 1e-7, array of parameters",
    """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    p = np.array([m, c], dtype=float)
    h = 1e-7
    for _ in range(epochs):
        e0 = error(p[0], p[1], X, y)
        g = np.array([(error(p[0] + h, p[1], X, y) - e0) / h, (error(p[0], p[1] + h, X, y) - e0) / h])
        p = p - learning_rate * g
    return float(p[0]), float(p[1])
""",
)
mistake(
    L5,
    "grad_fit",
    "sequential updates",
    grad_fit("m = m - learning_rate * dE_dm\n        c = c - learning_rate * diffp(error, 1, m, c, X, y)"),
)
mistake(
    L5, "grad_fit", "uphill (sign)", grad_fit("m, c = m + learning_rate * dE_dm, c + learning_rate * dE_dc")
)
mistake(L5, "grad_fit", "one epoch too many", grad_fit(epochs="epochs + 1"))
mistake(L5, "grad_fit", "ignores learning_rate", grad_fit("m, c = m - 0.001 * dE_dm, c - 0.001 * dE_dc"))
mistake(
    L5, "grad_fit", "ignores initial m, c", grad_fit().replace("    for _", "    m, c = 0.0, 0.0\n    for _")
)
mistake(
    L5,
    "grad_fit",
    "mean-loss gradient",
    grad_fit("m, c = m - learning_rate * dE_dm / len(X), c - learning_rate * dE_dc / len(X)"),
)
mistake(
    L5,
    "grad_fit",
    "missing factor 2",
    """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    x, t = np.ravel(X), np.ravel(y)
    for _ in range(epochs):
        r = m * x + c - t
        m, c = m - learning_rate * np.sum(r * x), c - learning_rate * np.sum(r)
    return float(m), float(c)
""",
)
mistake(L5, "grad_fit", "returns (c, m)", grad_fit().replace("return m, c", "return c, m"))

mistake(
    L5,
    "grad_fit",
    "slope gradient sum(x) * mean(r)",
    """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    x, t = np.ravel(X), np.ravel(y)
    for _ in range(epochs):
        r = m * x + c - t
        dE_dm = 2 * np.sum(x) * np.mean(r)
        dE_dc = 2 * np.sum(r)
        m, c = m - learning_rate * dE_dm, c - learning_rate * dE_dc
    return float(m), float(c)
""",
)
mistake(
    L5,
    "grad_fit",
    "m and c swapped in a helper call",
    """
def gradients(m, c, X, y):
    r = m * np.ravel(X) + c - np.ravel(y)
    return 2 * np.sum(r * np.ravel(X)), 2 * np.sum(r)

def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    for _ in range(epochs):
        dE_dm, dE_dc = gradients(c, m, X, y)
        m, c = m - learning_rate * dE_dm, c - learning_rate * dE_dc
    return float(m), float(c)
""",
)
mistake(
    L5,
    "grad_fit",
    "m - learning_rate + gradient",
    grad_fit("m, c = m - learning_rate + dE_dm, c - learning_rate + dE_dc"),
)
mistake(L5, "grad_fit", "hard-coded 1000 iterations", grad_fit(epochs="1000"))
mistake(L5, "grad_fit", "hard-coded 100 iterations", grad_fit(epochs="100"))
mistake(
    L5,
    "grad_fit",
    "np.polyfit",
    """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    m, c = np.polyfit(np.ravel(X), np.ravel(y), 1)
    return float(m), float(c)
""",
)
mistake(
    L5,
    "grad_fit",
    "np.linalg.lstsq",
    """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    A = np.column_stack([np.ravel(X), np.ones(np.size(X))])
    (m, c), *_ = np.linalg.lstsq(A, np.ravel(y), rcond=None)
    return float(m), float(c)
""",
)
mistake(
    L5,
    "grad_fit",
    "closed form",
    """
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    x, t = np.ravel(X), np.ravel(y)
    m = np.sum((x - x.mean()) * (t - t.mean())) / np.sum((x - x.mean()) ** 2)
    c = t.mean() - m * x.mean()
    return float(m), float(c)
""",
)

# --- 06-backprop -------------------------------------------------------------------------------------------
L6 = "06-backprop"
correct(L6, "neuron", "expression", "def neuron(w1, w2, x):\n    return w1 * x + w2")
correct(L6, "neuron", "bias first", "def neuron(w1, w2, x):\n    return w2 + x * w1")
correct(L6, "neuron", "numpy", "def neuron(w1, w2, x):\n    return np.add(np.multiply(w1, x), w2)")
mistake(L6, "neuron", "weights swapped", "def neuron(w1, w2, x):\n    return w2 * x + w1")
mistake(L6, "neuron", "no bias", "def neuron(w1, w2, x):\n    return w1 * x")

correct(
    L6,
    "forward_nn",
    "two calls",
    "def forward_nn(w11, w12, w21, w22, x):\n    return neuron(w21, w22, neuron(w11, w12, x))",
)
correct(
    L6,
    "forward_nn",
    "expanded",
    "def forward_nn(w11, w12, w21, w22, x):\n    return w21 * (w11 * x + w12) + w22",
)
correct(
    L6,
    "forward_nn",
    "named hidden",
    "def forward_nn(w11, w12, w21, w22, x):\n    h = w11 * x + w12\n    o = w21 * h + w22\n    return o",
)
mistake(
    L6,
    "forward_nn",
    "second neuron on x",
    "def forward_nn(w11, w12, w21, w22, x):\n    return neuron(w21, w22, x)",
)
mistake(
    L6,
    "forward_nn",
    "layers swapped",
    "def forward_nn(w11, w12, w21, w22, x):\n    return neuron(w11, w12, neuron(w21, w22, x))",
)
mistake(
    L6,
    "forward_nn",
    "returns hidden",
    "def forward_nn(w11, w12, w21, w22, x):\n    return neuron(w11, w12, x)",
)

correct(
    L6,
    "error_nn",
    "e * e",
    "def error_nn(w11, w12, w21, w22, x, yy):\n    e = forward_nn(w11, w12, w21, w22, x) - yy\n    return e * e",
)
correct(
    L6,
    "error_nn",
    "** 2 reversed",
    "def error_nn(w11, w12, w21, w22, x, yy):\n    return (yy - forward_nn(w11, w12, w21, w22, x)) ** 2",
)
correct(
    L6,
    "error_nn",
    "inline",
    "def error_nn(w11, w12, w21, w22, x, yy):\n    return (w21 * (w11 * x + w12) + w22 - yy) ** 2",
)
mistake(
    L6,
    "error_nn",
    "not squared",
    "def error_nn(w11, w12, w21, w22, x, yy):\n    return forward_nn(w11, w12, w21, w22, x) - yy",
)
mistake(
    L6,
    "error_nn",
    "halved",
    "def error_nn(w11, w12, w21, w22, x, yy):\n    return 0.5 * (forward_nn(w11, w12, w21, w22, x) - yy) ** 2",
)
mistake(
    L6,
    "error_nn",
    "absolute",
    "def error_nn(w11, w12, w21, w22, x, yy):\n    return abs(forward_nn(w11, w12, w21, w22, x) - yy)",
)

TRAIN_NUMERIC = """
def train_numeric(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.001, epochs=100):
    for _ in range(EPOCHS):
        for i in range(len(X)):
            x, yy = float(X[i, 0]), float(y[i, 0])
            g = [diffp(error_nn, k, w11, w12, w21, w22, x, yy) for k in range(4)]
            UPDATE
    return w11, w12, w21, w22
"""
NUMERIC_UPDATE = (
    "w11, w12, w21, w22 = (w11 - learning_rate * g[0], w12 - learning_rate * g[1], "
    "w21 - learning_rate * g[2], w22 - learning_rate * g[3])"
)


def train_numeric(update=NUMERIC_UPDATE, epochs="epochs"):
    return TRAIN_NUMERIC.replace("UPDATE", update).replace("EPOCHS", epochs)


correct(L6, "train_numeric", "given diffp, tuple update", train_numeric())
correct(
    L6,
    "train_numeric",
    "array of weights, forward 1e-7",
    """
def train_numeric(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.001, epochs=100):
    w = np.array([w11, w12, w21, w22], dtype=float)
    h = 1e-7
    for _ in range(epochs):
        for x, yy in zip(X.ravel(), y.ravel()):
            e0 = error_nn(*w, x, yy)
            g = np.zeros(4)
            for k in range(4):
                moved = w.copy()
                moved[k] += h
                g[k] = (error_nn(*moved, x, yy) - e0) / h
            w = w - learning_rate * g
    return tuple(float(v) for v in w)
""",
)
correct(
    L6,
    "train_numeric",
    "list of weights, helper outside",
    """
def numeric_gradient(weights, x, yy):
    return [diffp(error_nn, k, *weights, x, yy) for k in range(4)]

def train_numeric(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.001, epochs=100):
    weights = [w11, w12, w21, w22]
    for _ in range(epochs):
        for x, yy in zip(X[:, 0], y[:, 0]):
            grads = numeric_gradient(weights, x, yy)
            weights = [w - learning_rate * g for w, g in zip(weights, grads)]
    return tuple(float(w) for w in weights)
""",
)
mistake(
    L6,
    "train_numeric",
    "sequential updates",
    """
def train_numeric(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.001, epochs=100):
    for _ in range(epochs):
        for i in range(len(X)):
            x, yy = float(X[i, 0]), float(y[i, 0])
            w11 = w11 - learning_rate * diffp(error_nn, 0, w11, w12, w21, w22, x, yy)
            w12 = w12 - learning_rate * diffp(error_nn, 1, w11, w12, w21, w22, x, yy)
            w21 = w21 - learning_rate * diffp(error_nn, 2, w11, w12, w21, w22, x, yy)
            w22 = w22 - learning_rate * diffp(error_nn, 3, w11, w12, w21, w22, x, yy)
    return w11, w12, w21, w22
""",
)
mistake(L6, "train_numeric", "one epoch too few", train_numeric(epochs="epochs - 1"))
mistake(
    L6,
    "train_numeric",
    "uphill (sign)",
    train_numeric(NUMERIC_UPDATE.replace("- learning_rate", "+ learning_rate")),
)
mistake(
    L6,
    "train_numeric",
    "wrong index for w12",
    train_numeric().replace("for k in range(4)]", "for k in (0, 0, 2, 3)]"),
)
mistake(
    L6,
    "train_numeric",
    "ignores learning_rate",
    train_numeric(NUMERIC_UPDATE.replace("learning_rate", "0.001")),
)
mistake(
    L6,
    "train_numeric",
    "ignores initial weights",
    train_numeric().replace("    for _", "    w11 = w12 = w21 = w22 = 0.5\n    for _"),
)
mistake(
    L6,
    "train_numeric",
    "returns in the wrong order",
    train_numeric().replace("return w11, w12, w21, w22", "return w21, w22, w11, w12"),
)

TRAIN_BACKPROP = """
def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(EPOCHS):
        for x, yy in zip(X.ravel(), y.ravel()):
            h = neuron(w11, w12, x)
            o = neuron(w21, w22, h)
            dE_do = 2 * (o - yy)
            dE_dw21 = dE_do * h
            dE_dw22 = dE_do
            dE_dh = dE_do * w21
            dE_dw11 = dE_dh * x
            dE_dw12 = dE_dh
            UPDATE
    return float(w11), float(w12), float(w21), float(w22)
"""
BACKPROP_UPDATE = (
    "w11, w12, w21, w22 = (w11 - learning_rate * dE_dw11, w12 - learning_rate * dE_dw12, "
    "w21 - learning_rate * dE_dw21, w22 - learning_rate * dE_dw22)"
)


def train_backprop(update=BACKPROP_UPDATE, epochs="epochs", **replace):
    code = TRAIN_BACKPROP.replace("UPDATE", update).replace("EPOCHS", epochs)
    for old, new in replace.items():
        code = code.replace(old.replace("_EQ_", " = "), new)
    return code


correct(L6, "train_backprop", "analytic local derivatives", train_backprop())
correct(
    L6,
    "train_backprop",
    "numeric local derivatives (diffp)",
    """
def sq_error(o, yy):
    return (o - yy) ** 2

def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(epochs):
        for i in range(len(X)):
            x, yy = float(X[i][0]), float(y[i][0])
            h = neuron(w11, w12, x)
            o = neuron(w21, w22, h)
            dE_do = diffp(sq_error, 0, o, yy)
            dE_dw21 = dE_do * diffp(neuron, 0, w21, w22, h)
            dE_dw22 = dE_do * diffp(neuron, 1, w21, w22, h)
            dE_dh = dE_do * diffp(neuron, 2, w21, w22, h)
            dE_dw11 = dE_dh * diffp(neuron, 0, w11, w12, x)
            dE_dw12 = dE_dh * diffp(neuron, 1, w11, w12, x)
            w11, w12 = w11 - learning_rate * dE_dw11, w12 - learning_rate * dE_dw12
            w21, w22 = w21 - learning_rate * dE_dw21, w22 - learning_rate * dE_dw22
    return w11, w12, w21, w22
""",
)
correct(
    L6,
    "train_backprop",
    "array of weights, gradient helper",
    """
def gradient(w, x, yy):
    h = w[0] * x + w[1]
    dE_do = 2 * (w[2] * h + w[3] - yy)
    return np.array([dE_do * w[2] * x, dE_do * w[2], dE_do * h, dE_do])

def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    w = np.array([w11, w12, w21, w22], dtype=float)
    for _ in range(epochs):
        for x, yy in zip(X[:, 0], y[:, 0]):
            w = w - learning_rate * gradient(w, x, yy)
    return tuple(w.tolist())
""",
)
correct(
    L6,
    "train_backprop",
    "local forward differences, own helper",
    """
def local_slope(f, idx, *args):
    step = 1e-7
    nudged = list(args)
    nudged[idx] = args[idx] + step
    return (f(*nudged) - f(*args)) / (nudged[idx] - args[idx])

def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            h = neuron(w11, w12, x)
            o = neuron(w21, w22, h)
            dE_do = local_slope(lambda out: (out - yy) ** 2, 0, o)
            dE_dh = dE_do * local_slope(neuron, 2, w21, w22, h)
            grads = (
                dE_dh * local_slope(neuron, 0, w11, w12, x),
                dE_dh * local_slope(neuron, 1, w11, w12, x),
                dE_do * local_slope(neuron, 0, w21, w22, h),
                dE_do * local_slope(neuron, 1, w21, w22, h),
            )
            w11, w12, w21, w22 = (w - learning_rate * g for w, g in zip((w11, w12, w21, w22), grads))
    return float(w11), float(w12), float(w21), float(w22)
""",
)
mistake(
    L6,
    "train_backprop",
    "calls train_numeric",
    """
def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    return train_numeric(X, y, w11, w12, w21, w22, learning_rate, epochs)
""",
)
mistake(
    L6,
    "train_backprop",
    "diffp of error_nn per weight",
    """
def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            w = (w11, w12, w21, w22)
            g = [diffp(error_nn, k, *w, float(x), float(yy)) for k in range(4)]
            w11, w12, w21, w22 = (wk - learning_rate * gk for wk, gk in zip(w, g))
    return w11, w12, w21, w22
""",
)
mistake(
    L6,
    "train_backprop",
    "reruns the network per nudged weight",
    """
def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    h_step = 1e-6
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            w = [w11, w12, w21, w22]
            grads = []
            for k in range(4):
                up, down = list(w), list(w)
                up[k] += h_step
                down[k] -= h_step
                e_up = (neuron(up[2], up[3], neuron(up[0], up[1], x)) - yy) ** 2
                e_down = (neuron(down[2], down[3], neuron(down[0], down[1], x)) - yy) ** 2
                grads.append((e_up - e_down) / (2 * h_step))
            w11, w12, w21, w22 = (wk - learning_rate * gk for wk, gk in zip(w, grads))
    return float(w11), float(w12), float(w21), float(w22)
""",
)
mistake(
    L6,
    "train_backprop",
    "nested whole-error function",
    """
def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            def whole_error(a, b, c, d):
                return (c * (a * x + b) + d - yy) ** 2

            w = (w11, w12, w21, w22)
            g = [diffp(whole_error, k, *w) for k in range(4)]
            w11, w12, w21, w22 = (wk - learning_rate * gk for wk, gk in zip(w, g))
    return float(w11), float(w12), float(w21), float(w22)
""",
)
mistake(
    L6,
    "train_backprop",
    "local forward differences, step 1e-12",
    """
def local_slope(f, idx, *args):
    nudged = list(args)
    nudged[idx] = args[idx] + 1e-12
    return (f(*nudged) - f(*args)) / 1e-12

def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            h = neuron(w11, w12, x)
            o = neuron(w21, w22, h)
            dE_do = local_slope(lambda out: (out - yy) ** 2, 0, o)
            dE_dh = dE_do * local_slope(neuron, 2, w21, w22, h)
            grads = (
                dE_dh * local_slope(neuron, 0, w11, w12, x),
                dE_dh * local_slope(neuron, 1, w11, w12, x),
                dE_do * local_slope(neuron, 0, w21, w22, h),
                dE_do * local_slope(neuron, 1, w21, w22, h),
            )
            w11, w12, w21, w22 = (w - learning_rate * g for w, g in zip((w11, w12, w21, w22), grads))
    return float(w11), float(w12), float(w21), float(w22)
""",
)
mistake(
    L6,
    "train_backprop",
    "missing factor do/dh = w21",
    train_backprop(**{"dE_dh_EQ_dE_do * w21": "dE_dh = dE_do"}),
)
mistake(
    L6,
    "train_backprop",
    "w21 updated before dE/dh",
    """
def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(epochs):
        for x, yy in zip(X.ravel(), y.ravel()):
            h = neuron(w11, w12, x)
            o = neuron(w21, w22, h)
            dE_do = 2 * (o - yy)
            w21 = w21 - learning_rate * dE_do * h
            w22 = w22 - learning_rate * dE_do
            dE_dh = dE_do * w21
            w11 = w11 - learning_rate * dE_dh * x
            w12 = w12 - learning_rate * dE_dh
    return float(w11), float(w12), float(w21), float(w22)
""",
)
mistake(
    L6, "train_backprop", "missing factor 2", train_backprop(**{"dE_do_EQ_2 * (o - yy)": "dE_do = (o - yy)"})
)
mistake(
    L6,
    "train_backprop",
    "missing factor dh/dw11 = x",
    train_backprop(**{"dE_dw11_EQ_dE_dh * x": "dE_dw11 = dE_dh"}),
)
mistake(
    L6,
    "train_backprop",
    "uphill (sign)",
    train_backprop(BACKPROP_UPDATE.replace("- learning_rate", "+ learning_rate")),
)
mistake(L6, "train_backprop", "one epoch too many", train_backprop(epochs="epochs + 1"))
mistake(
    L6,
    "train_backprop",
    "ignores learning_rate",
    train_backprop(BACKPROP_UPDATE.replace("learning_rate", "0.01")),
)
mistake(
    L6,
    "train_backprop",
    "ignores initial weights",
    train_backprop().replace("    for _", "    w11 = w12 = w21 = w22 = 0.5\n    for _", 1),
)

# --- the diagnosis column: the phrase each mistake's feedback must contain -----------------------------------
DIAGNOSIS = {
    ("sq", "xor for power"): "bitwise XOR",
    ("sq", "doubles"): "doubles x",
    ("sq", "prints, no return"): "has no `return`",
    ("add", "subtracts"): "add subtracts",
    ("add", "ints only"): "fractional part",
    ("total", "starts at first arg"): "start the sum at 0",
    ("total", "skips first"): "skips the first argument",
    ("total", "returns inside loop"): "returns inside the loop",
    ("total", "two args only"): "any number of arguments",
    ("total", "counts instead of adding"): "counts the arguments",
    ("apply_transformation", "applies f twice"): "applies f twice",
    ("apply_transformation", "returns map"): "lazy iterator",
    ("apply_transformation", "reversed"): "reverse order",
    ("apply_transformation", "returns last only"): "only the last result",
    ("apply_transformation", "ignores f"): "ignores f",
    ("diff", "seed step 1e-12"): "step is too small",
    ("diff", "step 1e-2"): "step is too large",
    ("diff", "sign"): "wrong sign",
    ("diff", "central without 2"): "2 * delta",
    ("diff", "returns the value"): "function's value",
    ("diffp", "mutates with +="): "args[idx] += delta",
    ("diffp", "wrong index"): "first argument",
    ("diffp", "seed step 1e-12"): "step is too small",
    ("diffp", "off-by-one index"): "off by one",
    ("diffp", "sign"): "wrong sign",
    ("chain_diff", "outer at x"): "take it at t = inner(x)",
    ("chain_diff", "swapped"): "swapped",
    ("chain_diff", "sum not product"): "multiplies them",
    ("chain_diff", "missing inner factor"): "missing the factor inner'(x)",
    ("chain_diff", "missing outer factor"): "missing the factor outer'(inner(x))",
    ("chain_diff", "composite, central difference"): "differentiated as one block",
    ("chain_diff", "composite through diff"): "differentiated as one block",
    ("chain_diff", "composite, forward difference"): "differentiated as one block",
    ("error", "mean, not sum"): "mean of the squared residuals",
    ("error", "(n,1) - (n,) broadcasting"): "broadcasts to an (n, n) matrix",
    ("error", "no square"): "without squaring",
    ("error", "absolute error"): "absolute residuals",
    ("error", "squares the sum"): "squares the sum",
    ("grad_fit", "sequential updates"): "update both at once",
    ("grad_fit", "uphill (sign)"): "uphill",
    ("grad_fit", "one epoch too many"): "one step too many",
    ("grad_fit", "ignores learning_rate"): "learning rate you were given is ignored",
    ("grad_fit", "ignores initial m, c"): "starting m and c",
    ("grad_fit", "mean-loss gradient"): "mean error",
    ("grad_fit", "missing factor 2"): "factor 2",
    ("grad_fit", "returns (c, m)"): "returns (c, m)",
    ("total", "truncates with int()"): "drops each value's fractional part",
    ("apply_transformation", "own table of known functions"): "ignores f",
    ("diff", "forward 1e-3"): "step is too large",
    ("diff", "forward 1e-4, step taken"): "step is too large",
    ("diff", "central 1e-15"): "step is too small",
    ("diff", "/ 2 * delta precedence"): "(a / 2) * h",
    ("diff", "exact derivatives by name"): "never evaluated fn near x",
    ("diff", "exact derivatives by probing fn"): "never evaluated fn near x",
    ("diffp", "forward 1e-3"): "step is too large",
    ("diffp", "central 1e-14"): "step is too small",
    ("diffp", "/ 2 * delta precedence"): "(a / 2) * h",
    ("diffp", "two copies share the array"): "both copies",
    ("diffp", "float() on every argument"): "diffp's arguments may be numpy arrays",
    ("diffp", "exact partials by name"): "never evaluated fn with args[idx] changed",
    ("error", "halved"): "halves the sum of squares",
    ("grad_fit", "slope gradient sum(x) * mean(r)"): "sum(x) * mean(residual)",
    ("grad_fit", "m and c swapped in a helper call"): "taken at (c, m)",
    ("grad_fit", "m - learning_rate + gradient"): "adds the gradient",
    ("grad_fit", "hard-coded 1000 iterations"): "number of epochs you were given is ignored",
    ("grad_fit", "hard-coded 100 iterations"): "number of epochs you were given is ignored",
    ("grad_fit", "np.polyfit"): "least-squares line itself",
    ("grad_fit", "np.linalg.lstsq"): "least-squares line itself",
    ("grad_fit", "closed form"): "least-squares line itself",
    ("neuron", "weights swapped"): "swapped",
    ("neuron", "no bias"): "bias w2 is missing",
    ("forward_nn", "second neuron on x"): "as its input, not x",
    ("forward_nn", "layers swapped"): "wrong order",
    ("forward_nn", "returns hidden"): "returns the hidden value",
    ("error_nn", "not squared"): "not squared",
    ("error_nn", "halved"): "factor 1/2",
    ("error_nn", "absolute"): "absolute difference",
    ("train_numeric", "sequential updates"): "take all four partials at the old weights",
    ("train_numeric", "one epoch too few"): "one epoch too few",
    ("train_numeric", "uphill (sign)"): "uphill",
    ("train_numeric", "wrong index for w12"): "with respect to w11",
    ("train_numeric", "ignores learning_rate"): "learning rate you were given is ignored",
    ("train_numeric", "ignores initial weights"): "starting weights",
    ("train_numeric", "returns in the wrong order"): "wrong order",
    ("train_backprop", "missing factor do/dh = w21"): "missing the factor do/dh = w21",
    ("train_backprop", "w21 updated before dE/dh"): "your w21 update happens before dE/dh is computed",
    ("train_backprop", "missing factor 2"): "factor 2",
    ("train_backprop", "missing factor dh/dw11 = x"): "dh/dw11 = x",
    ("train_backprop", "uphill (sign)"): "uphill",
    ("train_backprop", "one epoch too many"): "one epoch too many",
    ("train_backprop", "ignores learning_rate"): "learning rate you were given is ignored",
    ("train_backprop", "ignores initial weights"): "starting weights",
    ("train_backprop", "calls train_numeric"): "calls train_numeric",
    ("train_backprop", "diffp of error_nn per weight"): "numeric partials of the whole error",
    ("train_backprop", "reruns the network per nudged weight"): "numeric partials of the whole error",
    ("train_backprop", "nested whole-error function"): "numeric partials of the whole error",
    ("train_backprop", "local forward differences, step 1e-12"): "step is too small",
}
ROWS[:] = [r._replace(diagnosis=DIAGNOSIS[(r.function, r.label)]) if r.kind == "mistake" else r for r in ROWS]


# --- running the table through the real grader -------------------------------------------------------------


def submission(row):
    """A .py submission: the lesson's reference functions, then the row's code, which replaces one of them."""
    from solutions import LESSON_MODULES

    module = importlib.import_module(f"solutions.{LESSON_MODULES[row.lesson]}")
    functions = [
        textwrap.dedent(inspect.getsource(f)) for f in vars(module).values() if inspect.isfunction(f)
    ]
    return "\n\n".join(["import numpy as np", *functions, row.code]) + "\n"


def grade_all(rows=ROWS):
    """Grade every row with `python -m autograder grade`, one batch per lesson; return [(row, json row)]."""
    graded = []
    with tempfile.TemporaryDirectory() as tmp:
        for lesson in sorted({r.lesson for r in rows}):
            folder = Path(tmp) / lesson
            folder.mkdir()
            mine = {f"row{i:03d}": r for i, r in enumerate(rows) if r.lesson == lesson}
            for name, row in mine.items():
                (folder / f"{name}.py").write_text(submission(row))
            out = Path(tmp) / f"{lesson}.json"
            subprocess.run(
                [sys.executable, "-m", "autograder", "grade", lesson, str(folder), "--json", str(out)],
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=ROOT,
            )
            graded += [(mine[r["learner"]], r) for r in json.loads(out.read_text())]
    return graded


Verdict = namedtuple("Verdict", "passed named wrong_hints")


def phrases(row):
    """The phrases that name a mistake row's mistake: one string, or a tuple when one mistake is rightly
    named in more than one way (each hint must then carry one of them)."""
    if row.diagnosis is None:
        return ()
    return (row.diagnosis,) if isinstance(row.diagnosis, str) else tuple(row.diagnosis)


def likely_lines(result):
    """Every "Likely mistake:" line of a graded submission, over all its checks."""
    return [
        line.strip()
        for t in result["tests"]
        for line in (t["message"] or "").splitlines()
        if line.strip().startswith("Likely mistake:")
    ]


def verdict(row, result):
    """Verdict(passed, named, wrong_hints) of one graded row.

    A correct row passes with full marks for its function; a mistake passes when it loses marks, and is
    named when a hint carries one of its phrases. A wrong hint names a mistake the submission does not
    have: for a correct row, any hint; for a mistake row, a hint that carries none of its phrases (every
    other function of the submission is the reference, so a hint there is wrong too).
    """
    tests = [t for t in result["tests"] if t["function"] == row.function]
    full = all(t["status"] == "passed" for t in tests)
    hints = likely_lines(result)
    if row.kind == "correct":
        return Verdict(full, None, len(hints))
    named = any(p in line for line in hints for p in phrases(row))
    wrong = sum(not any(p in line for p in phrases(row)) for line in hints)
    return Verdict(not full, named, wrong)


def report(graded):
    """Per function: correct styles accepted, mistakes caught and named, wrong hints. (text, all_perfect)."""
    lines = [
        f"{'function':<22}{'correct accepted':>18}{'mistakes caught':>18}{'mistakes named':>17}{'wrong hints':>13}"
    ]
    perfect = True
    for function in dict.fromkeys(r.function for r, _ in graded):
        mine = [(r, verdict(r, res)) for r, res in graded if r.function == function]
        correct = [v.passed for r, v in mine if r.kind == "correct"]
        caught = [v.passed for r, v in mine if r.kind == "mistake"]
        named = [v.named for r, v in mine if r.kind == "mistake"]
        wrong = sum(v.wrong_hints for _, v in mine)
        perfect &= all(correct) and all(caught) and all(named) and wrong == 0
        cells = [f"{sum(x)}/{len(x)}" for x in (correct, caught, named)]
        lines.append(f"{function:<22}{cells[0]:>18}{cells[1]:>18}{cells[2]:>17}{wrong:>13}")
    return "\n".join(lines), perfect


def wrong_hints(graded):
    """(row, hint) for every wrong hint, to say what to fix when the report is not perfect."""
    out = []
    for row, result in graded:
        for line in likely_lines(result):
            if row.kind == "correct" or not any(p in line for p in phrases(row)):
                out.append((row, line))
    return out


if __name__ == "__main__":
    graded = grade_all()
    text, perfect = report(graded)
    print(text)
    for row, line in wrong_hints(graded):
        print(f"wrong hint: {row.function} {row.kind} {row.label!r}: {line}")
    sys.exit(0 if perfect else 1)
