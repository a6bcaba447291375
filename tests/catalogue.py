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

# --- 07-layers --------------------------------------------------------------------------------------------
# (rows of lesson 7 go here; pass each mistake's diagnosis phrase to mistake(...) directly)
L7 = "07-layers"
FWD = "def dense_forward(X, W, b):\n"
correct(L7, "dense_forward", "matmul", FWD + "    return X @ W + b, (X, W)")
correct(
    L7,
    "dense_forward",
    "np.dot",
    FWD + "    out = np.dot(X, W) + b\n    cache = (X, W)\n    return out, cache",
)
correct(
    L7, "dense_forward", "einsum", FWD + '    return np.einsum("nd,dm->nm", X, W) + b[np.newaxis, :], (X, W)'
)
correct(
    L7,
    "dense_forward",
    "loops",
    FWD
    + """    N, D = X.shape
    M = W.shape[1]
    out = np.zeros((N, M))
    for n in range(N):
        for m in range(M):
            out[n, m] = sum(X[n, d] * W[d, m] for d in range(D)) + b[m]
    return out, (X, W)""",
)
mistake(L7, "dense_forward", "no bias", FWD + "    return X @ W, (X, W)", diagnosis="bias b is missing")
mistake(
    L7,
    "dense_forward",
    "transposed out",
    FWD + "    return W.T @ X.T + b[:, None], (X, W)",
    diagnosis="out is transposed",
)
mistake(
    L7, "dense_forward", "bias subtracted", FWD + "    return X @ W - b, (X, W)", diagnosis="b is subtracted"
)
mistake(L7, "dense_forward", "no cache", FWD + "    return X @ W + b", diagnosis="returns out alone")
mistake(
    L7,
    "dense_forward",
    "pair the wrong way round",
    FWD + "    cache = (X, W)\n    return cache, X @ W + b",
    diagnosis="wrong way round",
)

BWD = "def dense_backward(dout, cache):\n    X, W = cache\n"


def l7_backward(dX="dout @ W.T", dW="X.T @ dout", db="np.sum(dout, axis=0)"):
    return BWD + f"    dX = {dX}\n    dW = {dW}\n    db = {db}\n    return dX, dW, db"


correct(L7, "dense_backward", "matmul", l7_backward())
correct(
    L7,
    "dense_backward",
    "einsum",
    l7_backward(
        'np.einsum("nm,dm->nd", dout, W)', 'np.einsum("nd,nm->dm", X, dout)', 'np.einsum("nm->m", dout)'
    ),
)
correct(
    L7,
    "dense_backward",
    "np.dot, keepdims then reshape",
    l7_backward("np.dot(dout, W.T)", "np.dot(X.T, dout)", "np.sum(dout, axis=0, keepdims=True).reshape(-1)"),
)
correct(
    L7,
    "dense_backward",
    "per-sample loop, outer products",
    BWD
    + """    dX = np.zeros(X.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(W.shape[1])
    for n in range(X.shape[0]):
        dX[n] = W @ dout[n]
        dW += np.outer(X[n], dout[n])
        db += dout[n]
    return dX, dW, db""",
)
correct(L7, "dense_backward", "ones vector for db", l7_backward(db="np.ones(len(dout)) @ dout"))
mistake(L7, "dense_backward", "dW = dout.T @ X", l7_backward(dW="dout.T @ X"), diagnosis="dW is transposed")
mistake(
    L7, "dense_backward", "db over axis 1", l7_backward(db="np.sum(dout, axis=1)"), diagnosis="wrong axis"
)
mistake(
    L7, "dense_backward", "db not summed", l7_backward(db="dout"), diagnosis="not summed over the samples"
)
mistake(
    L7,
    "dense_backward",
    "db keepdims",
    l7_backward(db="np.sum(dout, axis=0, keepdims=True)"),
    diagnosis="leading axis of length 1",
)
mistake(
    L7,
    "dense_backward",
    "db summed over everything",
    l7_backward(db="np.sum(dout)"),
    diagnosis="every element",
)
mistake(
    L7,
    "dense_backward",
    "db mean",
    l7_backward(db="np.mean(dout, axis=0)"),
    diagnosis="mean over the samples",
)
mistake(L7, "dense_backward", "dX = dout @ W", l7_backward(dX="dout @ W"), diagnosis="without transposing")
mistake(L7, "dense_backward", "dW = X @ dout", l7_backward(dW="X @ dout"), diagnosis="without transposing")
mistake(
    L7, "dense_backward", "dW divided by N", l7_backward(dW="X.T @ dout / len(X)"), diagnosis="divided by N"
)

MSE = "def mse_loss(pred, Y):\n"
correct(
    L7,
    "mse_loss",
    "reference",
    MSE + "    N = pred.shape[0]\n    diff = pred - Y\n    return float(np.sum(diff**2) / N), 2 * diff / N",
)
correct(
    L7,
    "mse_loss",
    "mean of row sums",
    MSE + "    loss = np.mean(np.sum((pred - Y) ** 2, axis=1))\n    return loss, 2 * (pred - Y) / len(pred)",
)
correct(
    L7,
    "mse_loss",
    "len and multiply",
    MSE + "    N = len(pred)\n    r = pred - Y\n    return (r * r).sum() / N, r * (2 / N)",
)
mistake(
    L7,
    "mse_loss",
    "forgets / N",
    MSE + "    diff = pred - Y\n    return float(np.sum(diff**2)), 2 * diff",
    diagnosis="not divided by N",
)
mistake(
    L7,
    "mse_loss",
    "np.mean over every element",
    MSE + "    diff = pred - Y\n    return float(np.mean(diff**2)), 2 * diff / diff.size",
    diagnosis="every element's count",
)
mistake(
    L7,
    "mse_loss",
    "dpred missing 2",
    MSE + "    N = len(pred)\n    diff = pred - Y\n    return float(np.sum(diff**2) / N), diff / N",
    diagnosis="factor 2",
)
mistake(
    L7,
    "mse_loss",
    "dpred sign",
    MSE + "    N = len(pred)\n    diff = pred - Y\n    return float(np.sum(diff**2) / N), 2 * (Y - pred) / N",
    diagnosis="wrong sign",
)
mistake(
    L7,
    "mse_loss",
    "no square",
    MSE + "    N = len(pred)\n    diff = pred - Y\n    return float(np.sum(diff) / N), 2 * diff / N",
    diagnosis="not squared",
)

NG = "def numerical_gradient(f, A, h=1e-5):\n    grad = np.zeros(A.shape)\n"


def l7_gradient(body, ret="    return grad"):
    return NG + body + "\n" + ret


correct(
    L7,
    "numerical_gradient",
    "ndindex, assign back",
    l7_gradient(
        """    for i in np.ndindex(A.shape):
        old = A[i]
        A[i] = old + h
        fp = f(A)
        A[i] = old - h
        fm = f(A)
        A[i] = old
        grad[i] = (fp - fm) / (2 * h)"""
    ),
)
correct(
    L7,
    "numerical_gradient",
    "nditer (CS231n)",
    l7_gradient(
        """    it = np.nditer(A, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = A[ix]
        A[ix] = old + h
        fxph = f(A)
        A[ix] = old - h
        fxmh = f(A)
        A[ix] = old
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()"""
    ),
)
correct(
    L7,
    "numerical_gradient",
    "copies per element",
    l7_gradient(
        """    for i in np.ndindex(A.shape):
        plus, minus = A.copy(), A.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / h / 2"""
    ),
)
correct(
    L7,
    "numerical_gradient",
    "flat views",
    l7_gradient(
        """    flat, g = A.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + h
        fp = f(A)
        flat[k] = old - h
        fm = f(A)
        flat[k] = old
        g[k] = (fp - fm) / (2 * h)"""
    ),
)
mistake(
    L7,
    "numerical_gradient",
    "forgets to restore",
    l7_gradient(
        """    for i in np.ndindex(A.shape):
        old = A[i]
        A[i] = old + h
        fp = f(A)
        A[i] = old - h
        fm = f(A)
        grad[i] = (fp - fm) / (2 * h)"""
    ),
    diagnosis="stays nudged",
)
mistake(
    L7,
    "numerical_gradient",
    "restores by += and -=",
    l7_gradient(
        """    for i in np.ndindex(A.shape):
        A[i] += h
        fp = f(A)
        A[i] -= 2 * h
        fm = f(A)
        A[i] += h
        grad[i] = (fp - fm) / (2 * h)"""
    ),
    diagnosis="leaves round-off",
)
mistake(
    L7,
    "numerical_gradient",
    "one-sided, given h",
    l7_gradient(
        """    f0 = f(A)
    for i in np.ndindex(A.shape):
        old = A[i]
        A[i] = old + h
        grad[i] = (f(A) - f0) / h
        A[i] = old"""
    ),
    diagnosis="one-sided",
)
mistake(
    L7,
    "numerical_gradient",
    "one-sided, step 1e-3",
    l7_gradient(
        """    f0 = f(A)
    for i in np.ndindex(A.shape):
        plus = A.copy()
        plus[i] += 1e-3
        grad[i] = (f(plus) - f0) / 1e-3"""
    ),
    diagnosis="one-sided",
)
mistake(
    L7,
    "numerical_gradient",
    "divides by h",
    l7_gradient(
        """    for i in np.ndindex(A.shape):
        plus, minus = A.copy(), A.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / h"""
    ),
    diagnosis="divide by 2 * h",
)
mistake(
    L7,
    "numerical_gradient",
    "nudges all at once",
    l7_gradient("", "    return grad + (f(A + h) - f(A - h)) / (2 * h)"),
    diagnosis="every element of A at once",
)
mistake(
    L7,
    "numerical_gradient",
    "returns a flat array",
    """def numerical_gradient(f, A, h=1e-5):
    grad = []
    for i in np.ndindex(A.shape):
        plus, minus = A.copy(), A.copy()
        plus[i] += h
        minus[i] -= h
        grad.append((f(plus) - f(minus)) / (2 * h))
    return np.array(grad)""",
    diagnosis="not shaped like A",
)
mistake(
    L7,
    "numerical_gradient",
    "ignores h",
    """def numerical_gradient(f, A, h=1e-5):
    grad = np.zeros(A.shape)
    for i in np.ndindex(A.shape):
        plus, minus = A.copy(), A.copy()
        plus[i] += 1e-5
        minus[i] -= 1e-5
        grad[i] = (f(plus) - f(minus)) / 2e-5
    return grad""",
    diagnosis="step h you were given is ignored",
)

# --- 08-activations ---------------------------------------------------------------------------------------
L8 = "08-activations"
STABLE_SIGMOID = """
def stable_sigmoid(Z):
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))
"""
correct(
    L8,
    "sigmoid_forward",
    "masked halves",
    """
def sigmoid_forward(Z):
    A = np.empty_like(Z, dtype=float)
    pos = Z >= 0
    A[pos] = 1 / (1 + np.exp(-Z[pos]))
    E = np.exp(Z[~pos])
    A[~pos] = E / (1 + E)
    return A, A
""",
)
correct(
    L8,
    "sigmoid_forward",
    "logaddexp, cache Z",
    """
def sigmoid_forward(Z):
    return np.exp(-np.logaddexp(0.0, -Z)), Z

def sigmoid_backward(dA, cache):
    A = np.exp(-np.logaddexp(0.0, -cache))
    return dA * A * (1 - A)
""",
)
correct(
    L8,
    "sigmoid_forward",
    "clip to +-500",
    "def sigmoid_forward(Z):\n    A = 1 / (1 + np.exp(-np.clip(Z, -500, 500)))\n    return A, A",
)
correct(
    L8,
    "sigmoid_forward",
    "tanh identity",
    "def sigmoid_forward(Z):\n    A = 0.5 * (1 + np.tanh(Z / 2))\n    return A, A",
)
correct(
    L8,
    "sigmoid_forward",
    "naive, overflow silenced",
    """
def sigmoid_forward(Z):
    with np.errstate(over="ignore"):  # exp(1000) = inf gives 1 / inf = 0, the right answer
        A = 1 / (1 + np.exp(-Z))
    return A, A
""",
)
mistake(
    L8,
    "sigmoid_forward",
    "naive, overflows for large negative Z",
    "def sigmoid_forward(Z):\n    A = 1 / (1 + np.exp(-Z))\n    return A, A",
    diagnosis="np.exp(-Z) overflows when Z is below",
)
mistake(
    L8,
    "sigmoid_forward",
    "np.where evaluates both branches",
    """
def sigmoid_forward(Z):
    A = np.where(Z >= 0, 1 / (1 + np.exp(-Z)), np.exp(Z) / (1 + np.exp(Z)))
    return A, A
""",
    diagnosis="computes both x and y",
)
mistake(
    L8,
    "sigmoid_forward",
    "sign of the exponent",
    "def sigmoid_forward(Z):\n    A = 1 / (1 + np.exp(Z))\n    return A, A",
    diagnosis="check the sign in the exponent",
)
mistake(
    L8,
    "sigmoid_forward",
    "operator precedence",
    "def sigmoid_forward(Z):\n    A = 1 / 1 + np.exp(-Z)\n    return A, A",
    diagnosis="operator precedence",
)
mistake(
    L8,
    "sigmoid_forward",
    "no cache",
    "def sigmoid_forward(Z):\n    return 1 / (1 + np.exp(-np.clip(Z, -500, 500)))",
    diagnosis="the cache is missing",
)
mistake(
    L8,
    "sigmoid_forward",
    "math.exp on an array",
    "import math\n\ndef sigmoid_forward(Z):\n    A = 1 / (1 + math.exp(-Z))\n    return A, A",
    diagnosis="use np.exp",
)

correct(
    L8,
    "sigmoid_backward",
    "cache Z, recompute stably",
    STABLE_SIGMOID
    + """
def sigmoid_forward(Z):
    return stable_sigmoid(Z), Z

def sigmoid_backward(dA, cache):
    s = stable_sigmoid(cache)
    return dA * s * (1 - s)
""",
)
correct(
    L8,
    "sigmoid_backward",
    "tuple cache",
    STABLE_SIGMOID
    + """
def sigmoid_forward(Z):
    A = stable_sigmoid(Z)
    return A, (Z, A)

def sigmoid_backward(dA, cache):
    Z, A = cache
    return dA * A * (1 - A)
""",
)
correct(
    L8,
    "sigmoid_backward",
    "dict cache",
    STABLE_SIGMOID
    + """
def sigmoid_forward(Z):
    A = stable_sigmoid(Z)
    return A, {"A": A}

def sigmoid_backward(dA, cache):
    local = cache["A"] - cache["A"] ** 2
    return dA * local
""",
)
mistake(
    L8,
    "sigmoid_backward",
    "Z instead of the output",
    STABLE_SIGMOID
    + """
def sigmoid_forward(Z):
    return stable_sigmoid(Z), Z

def sigmoid_backward(dA, cache):
    Z = cache
    return dA * Z * (1 - Z)
""",
    diagnosis="uses the input Z instead",
)
mistake(
    L8,
    "sigmoid_backward",
    "no upstream gradient",
    "def sigmoid_backward(dA, cache):\n    return cache * (1 - cache)",
    diagnosis="multiply it by the upstream gradient dA",
)
mistake(
    L8,
    "sigmoid_backward",
    "sigmoid of the cached output",
    "def sigmoid_backward(dA, cache):\n    s = 1 / (1 + np.exp(-cache))\n    return dA * s * (1 - s)",
    diagnosis="applied twice",
)
mistake(
    L8,
    "sigmoid_backward",
    "tanh's derivative",
    "def sigmoid_backward(dA, cache):\n    return dA * (1 - cache**2)",
    diagnosis="that is tanh's derivative",
)
mistake(
    L8,
    "sigmoid_backward",
    "updates dA in place",
    "def sigmoid_backward(dA, cache):\n    dA *= cache * (1 - cache)\n    return dA",
    diagnosis="changes the caller's array in place",
)
mistake(
    L8,
    "sigmoid_backward",
    "changes the cache in place",
    "def sigmoid_backward(dA, cache):\n    A = cache\n    A *= 1 - A\n    return dA * A",
    diagnosis="changes the cache in place",
)
mistake(
    L8,
    "sigmoid_backward",
    "cache Z, naive sigmoid in the backward pass",
    STABLE_SIGMOID
    + """
def sigmoid_forward(Z):
    return stable_sigmoid(Z), Z

def sigmoid_backward(dA, cache):
    s = 1 / (1 + np.exp(-cache))
    return dA * s * (1 - s)
""",
    diagnosis="np.exp(-Z) overflows when Z is below",
)

correct(
    L8,
    "tanh_forward",
    "from the sigmoid",
    "def tanh_forward(Z):\n    A = 2 * sigmoid_forward(2 * Z)[0] - 1\n    return A, A",
)
correct(
    L8,
    "tanh_forward",
    "stable exponentials",
    """
def tanh_forward(Z):
    E = np.exp(-2 * np.abs(Z))
    A = np.sign(Z) * (1 - E) / (1 + E)
    return A, A
""",
)
correct(
    L8,
    "tanh_forward",
    "cache Z",
    """
def tanh_forward(Z):
    return np.tanh(Z), Z

def tanh_backward(dA, cache):
    return dA * (1 - np.tanh(cache) ** 2)
""",
)
mistake(
    L8,
    "tanh_forward",
    "exp formula overflows",
    """
def tanh_forward(Z):
    A = (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))
    return A, A
""",
    diagnosis="inf / inf is nan",
)
mistake(
    L8,
    "tanh_forward",
    "sinh over cosh",
    "def tanh_forward(Z):\n    A = np.sinh(Z) / np.cosh(Z)\n    return A, A",
    diagnosis="inf / inf is nan",
)
mistake(
    L8,
    "tanh_forward",
    "2 sigmoid(Z) - 1",
    "def tanh_forward(Z):\n    A = 2 * sigmoid_forward(Z)[0] - 1\n    return A, A",
    diagnosis="tanh(Z / 2)",
)
mistake(
    L8,
    "tanh_forward",
    "sigmoid instead of tanh",
    "def tanh_forward(Z):\n    return sigmoid_forward(Z)",
    diagnosis="the sigmoid of Z",
)
mistake(
    L8,
    "tanh_forward",
    "sign flipped",
    "def tanh_forward(Z):\n    A = np.tanh(-Z)\n    return A, A",
    diagnosis="the sign is flipped",
)
mistake(
    L8,
    "tanh_forward",
    "in place",
    "def tanh_forward(Z):\n    np.tanh(Z, out=Z)\n    return Z, Z",
    diagnosis="changes the caller's array in place",
)
mistake(
    L8,
    "tanh_forward",
    "pair in the wrong order",
    "def tanh_forward(Z):\n    return Z, np.tanh(Z)\n\ndef tanh_backward(dA, cache):\n    return dA * (1 - cache**2)",
    diagnosis="A is Z unchanged",
)

correct(L8, "tanh_backward", "A times A", "def tanh_backward(dA, cache):\n    return dA - dA * cache * cache")
correct(
    L8,
    "tanh_backward",
    "tuple cache",
    """
def tanh_forward(Z):
    A = np.tanh(Z)
    return A, (Z, A)

def tanh_backward(dA, cache):
    _, A = cache
    return dA * (1 - np.square(A))
""",
)
correct(
    L8,
    "tanh_backward",
    "cache Z, tanh again",
    """
def tanh_forward(Z):
    return np.tanh(Z), Z

def tanh_backward(dA, cache):
    A = np.tanh(cache)
    return dA * (1 - A**2)
""",
)
mistake(
    L8,
    "tanh_backward",
    "1 - Z**2",
    """
def tanh_forward(Z):
    return np.tanh(Z), Z

def tanh_backward(dA, cache):
    Z = cache
    return dA * (1 - Z**2)
""",
    diagnosis="1 - Z**2 uses the input Z",
)
mistake(
    L8,
    "tanh_backward",
    "square missing",
    "def tanh_backward(dA, cache):\n    return dA * (1 - cache)",
    diagnosis="the square is missing",
)
mistake(
    L8,
    "tanh_backward",
    "no upstream gradient",
    "def tanh_backward(dA, cache):\n    return 1 - cache**2",
    diagnosis="multiply it by the upstream gradient dA",
)
mistake(
    L8,
    "tanh_backward",
    "tanh of the cached output",
    "def tanh_backward(dA, cache):\n    return dA * (1 - np.tanh(cache) ** 2)",
    diagnosis="tanh is applied twice",
)
mistake(
    L8,
    "tanh_backward",
    "sigmoid's derivative",
    "def tanh_backward(dA, cache):\n    return dA * cache * (1 - cache)",
    diagnosis="that is the sigmoid's derivative",
)
mistake(
    L8,
    "tanh_backward",
    "updates dA in place",
    "def tanh_backward(dA, cache):\n    dA *= 1 - cache**2\n    return dA",
    diagnosis="changes the caller's array in place",
)
mistake(
    L8,
    "tanh_backward",
    "cache Z, 1 / cosh**2 overflows",
    """
def tanh_forward(Z):
    return np.tanh(Z), Z

def tanh_backward(dA, cache):
    return dA / np.cosh(cache) ** 2
""",
    diagnosis="np.cosh(Z) does above",
)

correct(L8, "relu_forward", "times the mask", "def relu_forward(Z):\n    return Z * (Z > 0), Z")
correct(L8, "relu_forward", "np.where", "def relu_forward(Z):\n    return np.where(Z > 0, Z, 0.0), Z")
correct(L8, "relu_forward", "clip", "def relu_forward(Z):\n    return np.clip(Z, 0, None), Z")
correct(
    L8,
    "relu_forward",
    "copy, then zero",
    "def relu_forward(Z):\n    A = Z.copy()\n    A[A < 0] = 0\n    return A, Z",
)
mistake(
    L8,
    "relu_forward",
    "np.max reduces",
    "def relu_forward(Z):\n    return np.max(Z, 0), Z",
    diagnosis="np.max(Z, 0) is a reduction",
)
mistake(
    L8,
    "relu_forward",
    "Python's max",
    "def relu_forward(Z):\n    return max(Z, 0), Z",
    diagnosis="Python's max",
)
mistake(
    L8,
    "relu_forward",
    "zeroes Z in place",
    "def relu_forward(Z):\n    Z[Z < 0] = 0\n    return Z, Z",
    diagnosis="changes the caller's array in place",
)
mistake(
    L8,
    "relu_forward",
    "np.minimum",
    "def relu_forward(Z):\n    return np.minimum(Z, 0), Z",
    diagnosis="keeps the negative part",
)
mistake(
    L8,
    "relu_forward",
    "the mask as A",
    "def relu_forward(Z):\n    return (Z > 0).astype(float), Z",
    diagnosis="the 0/1 mask of where Z > 0",
)
mistake(
    L8,
    "relu_forward",
    "pair in the wrong order",
    "def relu_forward(Z):\n    return Z, np.maximum(Z, 0)",
    diagnosis="A is Z unchanged",
)

correct(
    L8, "relu_backward", "np.where", "def relu_backward(dA, cache):\n    return np.where(cache > 0, dA, 0.0)"
)
correct(
    L8,
    "relu_backward",
    "cache A, mask A > 0",
    """
def relu_forward(Z):
    A = np.maximum(Z, 0)
    return A, A

def relu_backward(dA, cache):
    return dA * (cache > 0)
""",
)
correct(
    L8,
    "relu_backward",
    "copy, then zero",
    "def relu_backward(dA, cache):\n    dZ = dA.copy()\n    dZ[cache <= 0] = 0\n    return dZ",
)
correct(
    L8,
    "relu_backward",
    "heaviside",
    "def relu_backward(dA, cache):\n    return dA * np.heaviside(cache, 0.0)",
)
mistake(
    L8,
    "relu_backward",
    "mask from dA",
    "def relu_backward(dA, cache):\n    return dA * (dA > 0)",
    diagnosis="the mask comes from dA",
)
mistake(
    L8,
    "relu_backward",
    "mask Z >= 0",
    "def relu_backward(dA, cache):\n    return dA * (cache >= 0)",
    diagnosis="not Z >= 0",
)
mistake(
    L8,
    "relu_backward",
    "cache A, mask A >= 0",
    """
def relu_forward(Z):
    A = np.maximum(Z, 0)
    return A, A

def relu_backward(dA, cache):
    return dA * (cache >= 0)
""",
    diagnosis="dZ equals dA everywhere",
)
mistake(
    L8,
    "relu_backward",
    "no upstream gradient",
    "def relu_backward(dA, cache):\n    return (cache > 0).astype(float)",
    diagnosis="multiply it by the upstream gradient dA",
)
mistake(
    L8,
    "relu_backward",
    "times A",
    "def relu_backward(dA, cache):\n    return dA * np.maximum(cache, 0)",
    diagnosis="multiplied by A = max(Z, 0)",
)
mistake(
    L8,
    "relu_backward",
    "inverted mask",
    "def relu_backward(dA, cache):\n    return dA * (cache < 0)",
    diagnosis="the mask is inverted",
)
mistake(
    L8,
    "relu_backward",
    "zeroes dA in place",
    "def relu_backward(dA, cache):\n    dA[cache <= 0] = 0\n    return dA",
    diagnosis="changes the caller's array in place",
)

# --- 09-network -------------------------------------------------------------------------------------------
L9 = "09-network"

INIT_NETWORK = """
def init_network(sizes, seed=0):
    rng = np.random.default_rng(seed)
    params = []
    for d_in, d_out in zip(sizes[:-1], sizes[1:]):
        W = DRAW
        b = np.zeros(d_out)
        params.append((W, b))
    return params
"""


def init_network(draw="rng.standard_normal((d_in, d_out)) * np.sqrt(2 / d_in)", **replace):
    code = INIT_NETWORK.replace("DRAW", draw)
    for old, new in replace.items():
        code = code.replace(old.replace("_EQ_", " = "), new)
    return code


correct(L9, "init_network", "loop over zip(sizes)", init_network())
correct(
    L9,
    "init_network",
    "rng.normal with a scale",
    init_network("rng.normal(0.0, np.sqrt(2 / d_in), size=(d_in, d_out))"),
)
correct(
    L9,
    "init_network",
    "index loop, list of tuples",
    """
def init_network(sizes, seed=0):
    rng = np.random.default_rng(seed)
    layers = []
    for i in range(len(sizes) - 1):
        scale = np.sqrt(2.0 / sizes[i])
        layers.append((scale * rng.standard_normal(size=(sizes[i], sizes[i + 1])), np.zeros(sizes[i + 1])))
    return layers
""",
)
mistake(
    L9, "init_network", "no scale", init_network("rng.standard_normal((d_in, d_out))"), diagnosis="not scaled"
)
mistake(
    L9,
    "init_network",
    "scale sqrt(1/d_in)",
    init_network("rng.standard_normal((d_in, d_out)) * np.sqrt(1 / d_in)"),
    diagnosis="np.sqrt(1 / d_in)",
)
mistake(
    L9,
    "init_network",
    "scale uses d_out",
    init_network("rng.standard_normal((d_in, d_out)) * np.sqrt(2 / d_out)"),
    diagnosis="uses d_out",
)
mistake(
    L9,
    "init_network",
    "new generator per layer",
    init_network().replace(
        "    for d_in, d_out in zip(sizes[:-1], sizes[1:]):\n",
        "    for d_in, d_out in zip(sizes[:-1], sizes[1:]):\n        rng = np.random.default_rng(seed)\n",
    ),
    diagnosis="new generator is made for every layer",
)
mistake(
    L9,
    "init_network",
    "draws (d_out, d_in) then transposes",
    init_network("rng.standard_normal((d_out, d_in)).T * np.sqrt(2 / d_in)"),
    diagnosis="drawn as (d_out, d_in)",
)
mistake(
    L9,
    "init_network",
    "ignores the seed",
    init_network(**{"rng_EQ_np.random.default_rng(seed)": "rng = np.random.default_rng(0)"}),
    diagnosis="seed you were given is ignored",
)
mistake(
    L9, "init_network", "all weights 0.5", init_network("np.full((d_in, d_out), 0.5)"), diagnosis="all equal"
)
mistake(
    L9,
    "init_network",
    "W shaped (d_out, d_in)",
    init_network("rng.standard_normal((d_out, d_in)) * np.sqrt(2 / d_in)"),
    diagnosis="transposed",
)
mistake(
    L9,
    "init_network",
    "b shaped (1, M)",
    init_network(**{"b_EQ_np.zeros(d_out)": "b = np.zeros((1, d_out))"}),
    diagnosis="(M,), not (1, M)",
)

FORWARD_NETWORK = """
def forward_network(params, X):
    out = X
    caches = []
    for i, (W, b) in enumerate(params):
        DENSE
        relu_cache = None
        if RELU_WHEN:
            out, relu_cache = relu_forward(out)
        caches.append((dense_cache, relu_cache))
    return out, caches
"""


def forward_network(dense="out, dense_cache = dense_forward(out, W, b)", relu_when="i < len(params) - 1"):
    return FORWARD_NETWORK.replace("DENSE", dense).replace("RELU_WHEN", relu_when)


correct(L9, "forward_network", "loop with enumerate", forward_network())
correct(
    L9,
    "forward_network",
    "hidden layers, then the last",
    """
def forward_network(params, X):
    caches = []
    h = X
    for W, b in params[:-1]:
        z, dense_cache = dense_forward(h, W, b)
        h, relu_cache = relu_forward(z)
        caches.append((dense_cache, relu_cache))
    W, b = params[-1]
    scores, dense_cache = dense_forward(h, W, b)
    caches.append((dense_cache, None))
    return scores, caches
""",
)
correct(
    L9,
    "forward_network",
    "index loop, explicit last layer test",
    """
def forward_network(params, X):
    caches = []
    a = X
    L = len(params)
    for l in range(L):
        z, dc = dense_forward(a, params[l][0], params[l][1])
        if l == L - 1:
            caches.append((dc, None))
            a = z
        else:
            a, rc = relu_forward(z)
            caches.append((dc, rc))
    return a, caches
""",
)
mistake(
    L9,
    "forward_network",
    "ReLU on the last layer too",
    forward_network(relu_when="True"),
    diagnosis="last layer has a ReLU",
)
mistake(
    L9,
    "forward_network",
    "no ReLU",
    forward_network(relu_when="False"),
    diagnosis="no ReLU between the layers",
)
mistake(
    L9,
    "forward_network",
    "skips the last layer",
    """
def forward_network(params, X):
    out = X
    caches = []
    for W, b in params[:-1]:
        out, dense_cache = dense_forward(out, W, b)
        out, relu_cache = relu_forward(out)
        caches.append((dense_cache, relu_cache))
    return out, caches
""",
    diagnosis="last layer is missing",
)
mistake(
    L9,
    "forward_network",
    "ReLU before each dense layer",
    """
def forward_network(params, X):
    out = X
    caches = []
    for W, b in params:
        out, relu_cache = relu_forward(out)
        out, dense_cache = dense_forward(out, W, b)
        caches.append((dense_cache, relu_cache))
    return out, caches
""",
    diagnosis="ReLU is applied to the input X",
)
mistake(
    L9,
    "forward_network",
    "bias left out",
    forward_network(dense="out, dense_cache = dense_forward(out, W, np.zeros_like(b))"),
    diagnosis="biases are not added",
)

BACKWARD_NETWORK = """
def backward_network(dscores, caches):
    grads = []
    dout = dscores
    for dense_cache, relu_cache in reversed(caches):
        if relu_cache is not None:
            RELU
        DENSE
        grads.append((dW, db))
    RETURN
"""


def backward_network(
    relu="dout = relu_backward(dout, relu_cache)",
    dense="dout, dW, db = dense_backward(dout, dense_cache)",
    ret="return grads[::-1]",
):
    return BACKWARD_NETWORK.replace("RELU", relu).replace("DENSE", dense).replace("RETURN", ret)


correct(L9, "backward_network", "reversed caches, reversed list", backward_network())
correct(
    L9,
    "backward_network",
    "index loop, insert at the front",
    """
def backward_network(dscores, caches):
    grads = []
    d = dscores
    for i in range(len(caches) - 1, -1, -1):
        dense_cache, relu_cache = caches[i]
        if i < len(caches) - 1:
            d = relu_backward(d, relu_cache)
        d, dW, db = dense_backward(d, dense_cache)
        grads.insert(0, (dW, db))
    return grads
""",
)
correct(
    L9,
    "backward_network",
    "preallocated list",
    """
def backward_network(dscores, caches):
    grads = [None] * len(caches)
    upstream = dscores
    for layer in reversed(range(len(caches))):
        dense_cache, relu_cache = caches[layer]
        if relu_cache is not None:
            upstream = relu_backward(upstream, relu_cache)
        upstream, dW, db = dense_backward(upstream, dense_cache)
        grads[layer] = (dW, db)
    return grads
""",
)
mistake(
    L9, "backward_network", "no relu_backward", backward_network(relu="pass"), diagnosis="skips relu_backward"
)
mistake(
    L9,
    "backward_network",
    "relu_backward after dense_backward",
    """
def backward_network(dscores, caches):
    grads = []
    dout = dscores
    for dense_cache, relu_cache in reversed(caches):
        dout, dW, db = dense_backward(dout, dense_cache)
        if relu_cache is not None:
            dout = relu_backward(dout, relu_cache)
        grads.append((dW, db))
    return grads[::-1]
""",
    diagnosis="after dense_backward",
)
mistake(
    L9,
    "backward_network",
    "gradients in reverse order",
    backward_network(ret="return grads"),
    diagnosis="reverse order",
)
mistake(
    L9,
    "backward_network",
    "dscores fed to every layer",
    backward_network(dense="_, dW, db = dense_backward(dout, dense_cache)"),
    diagnosis="instead of the gradient from the layer above",
)
mistake(
    L9,
    "backward_network",
    "ReLU mask from the gradient",
    backward_network(relu="dout = dout * (dout > 0)"),
    diagnosis="mask is taken from the gradient",
)

SOFTMAX = """
def softmax_cross_entropy(scores, labels):
    N = scores.shape[0]
    rows = np.arange(N)
    SHIFT
    exp = np.exp(shifted)
    probs = exp / np.sum(exp, axis=1, keepdims=True)
    LOSS
    dscores = probs.copy()
    MINUS
    DIVIDE
    return float(loss), dscores
"""


def softmax_cross_entropy(
    shift="shifted = scores - np.max(scores, axis=1, keepdims=True)",
    loss="loss = -np.mean(np.log(probs[rows, labels]))",
    minus="dscores[rows, labels] -= 1",
    divide="dscores /= N",
):
    return (
        SOFTMAX.replace("SHIFT", shift)
        .replace("LOSS", loss)
        .replace("MINUS", minus)
        .replace("DIVIDE", divide)
    )


correct(L9, "softmax_cross_entropy", "probabilities, then log (CS231n)", softmax_cross_entropy())
correct(
    L9,
    "softmax_cross_entropy",
    "one-hot matrix",
    """
def softmax_cross_entropy(scores, labels):
    N, C = scores.shape
    one_hot = np.eye(C)[labels]
    z = scores - scores.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -np.sum(one_hot * log_probs) / N
    return float(loss), (np.exp(log_probs) - one_hot) / N
""",
)
correct(
    L9,
    "softmax_cross_entropy",
    "loop over samples",
    """
def softmax_cross_entropy(scores, labels):
    N = len(scores)
    loss = 0.0
    dscores = np.zeros_like(scores, dtype=float)
    for i in range(N):
        row = scores[i] - np.max(scores[i])
        p = np.exp(row) / np.sum(np.exp(row))
        loss += -np.log(p[labels[i]])
        dscores[i] = p
        dscores[i, labels[i]] -= 1
    return loss / N, dscores / N
""",
)
mistake(
    L9,
    "softmax_cross_entropy",
    "unstable: no shift",
    softmax_cross_entropy(shift="shifted = scores"),
    diagnosis="overflows for large scores",
)
mistake(
    L9,
    "softmax_cross_entropy",
    "no -1 at the true class",
    softmax_cross_entropy(minus="pass"),
    diagnosis="missing the -1",
)
mistake(
    L9,
    "softmax_cross_entropy",
    "gradient not divided by N",
    softmax_cross_entropy(divide="pass"),
    diagnosis="not divided by N",
)
mistake(
    L9,
    "softmax_cross_entropy",
    "forgets / N everywhere",
    softmax_cross_entropy(loss="loss = -np.sum(np.log(probs[rows, labels]))", divide="pass"),
    diagnosis=("summed over the samples", "not divided by N"),
)
mistake(
    L9,
    "softmax_cross_entropy",
    "normalised over axis 0",
    softmax_cross_entropy(shift="shifted = scores - np.max(scores, axis=0, keepdims=True)").replace(
        "axis=1", "axis=0"
    ),
    diagnosis="wrong axis",
)
mistake(
    L9,
    "softmax_cross_entropy",
    "loss has the wrong sign",
    softmax_cross_entropy(loss="loss = np.mean(np.log(probs[rows, labels]))"),
    diagnosis="wrong sign",
)

TRAIN_NETWORK = """
def train_network(X, labels, params, learning_rate=0.1, epochs=10, batch_size=32, seed=0):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    for _ in range(epochs):
        ORDER
        for start in range(0, STOP, batch_size):
            batch = order[start : start + batch_size]
            scores, caches = forward_network(params, X[batch])
            _, dscores = softmax_cross_entropy(scores, labels[batch])
            grads = backward_network(dscores, caches)
            UPDATE
    return params
"""
NEW_PARAMS = (
    "params = [(W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(params, grads)]"
)


def train_network(order="order = rng.permutation(N)", stop="N", update=NEW_PARAMS):
    return TRAIN_NETWORK.replace("ORDER", order).replace("STOP", stop).replace("UPDATE", update)


correct(L9, "train_network", "new list every step", train_network())
correct(
    L9,
    "train_network",
    "copies first, then updates in place",
    """
def train_network(X, labels, params, learning_rate=0.1, epochs=10, batch_size=32, seed=0):
    params = [(W.copy(), b.copy()) for W, b in params]
    rng = np.random.default_rng(seed)
    n = len(X)
    for epoch in range(epochs):
        idx = np.arange(n)
        rng.shuffle(idx)
        start = 0
        while start < n:
            batch = idx[start : start + batch_size]
            start += batch_size
            scores, caches = forward_network(params, X[batch])
            loss, dscores = softmax_cross_entropy(scores, labels[batch])
            for (W, b), (dW, db) in zip(params, backward_network(dscores, caches)):
                W -= learning_rate * dW
                b -= learning_rate * db
    return params
""",
)
correct(
    L9,
    "train_network",
    "shuffled copies of the data",
    """
def train_network(X, labels, params, learning_rate=0.1, epochs=10, batch_size=32, seed=0):
    rng = np.random.default_rng(seed)
    new_params = list(params)
    for _ in range(epochs):
        perm = rng.permutation(X.shape[0])
        Xs, ys = X[perm], labels[perm]
        for i in range(0, len(Xs), batch_size):
            scores, caches = forward_network(new_params, Xs[i : i + batch_size])
            _, dscores = softmax_cross_entropy(scores, ys[i : i + batch_size])
            grads = backward_network(dscores, caches)
            new_params = [
                (W - learning_rate * g[0], b - learning_rate * g[1]) for (W, b), g in zip(new_params, grads)
            ]
    return new_params
""",
)
mistake(
    L9,
    "train_network",
    "updates the caller's arrays in place",
    train_network(
        update="for (W, b), (dW, db) in zip(params, grads):\n                W -= learning_rate * dW\n                b -= learning_rate * db"
    ),
    diagnosis="changes the caller's arrays in place",
)
mistake(
    L9,
    "train_network",
    "new generator each epoch",
    train_network(order="order = np.random.default_rng(seed).permutation(N)"),
    diagnosis="new generator is made every epoch",
)
mistake(
    L9,
    "train_network",
    "drops the last partial batch",
    train_network(stop="N - batch_size + 1"),
    diagnosis="last, smaller batch is skipped",
)
mistake(
    L9,
    "train_network",
    "averages the gradient twice",
    train_network(
        update=NEW_PARAMS.replace("learning_rate * d", "learning_rate * d").replace(
            "(W - learning_rate * dW, b - learning_rate * db)",
            "(W - learning_rate * dW / len(batch), b - learning_rate * db / len(batch))",
        )
    ),
    diagnosis="averaged twice",
)
mistake(
    L9,
    "train_network",
    "never shuffles",
    train_network(order="order = np.arange(N)"),
    diagnosis="never shuffled",
)

# --- 10-autodiff ------------------------------------------------------------------------------------------
L10 = "10-autodiff"


def value_source():
    """The reference Value, as a learner's cell holds it."""
    from solutions.autodiff import Value

    return textwrap.dedent(inspect.getsource(Value))


def value(*swaps):
    """The reference Value with each (old, new) text swapped in; every old text must be there."""
    code = value_source()
    for old, new in swaps:
        assert old in code, old
        code = code.replace(old, new)
    return code


MICROGRAD = """
class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float))
        out = Value(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += (other * self.data ** (other - 1)) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,), "ReLU")

        def _backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        x = self.data
        t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"
"""

# Another naming, local derivatives stored with each parent at construction, direct division, and an
# order from Kahn's algorithm (count each node's users, release a node when all of them are done).
PAIRS = """
class Value:
    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = list(parents)  # (Value, local derivative) pairs

    @staticmethod
    def wrap(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value.wrap(other)
        return Value(self.data + other.data, [(self, 1.0), (other, 1.0)])

    def __mul__(self, other):
        other = Value.wrap(other)
        return Value(self.data * other.data, [(self, other.data), (other, self.data)])

    def __truediv__(self, other):
        other = Value.wrap(other)
        return Value(
            self.data / other.data, [(self, 1 / other.data), (other, -self.data / other.data**2)]
        )

    def __pow__(self, k):
        return Value(self.data**k, [(self, k * self.data ** (k - 1))])

    def __neg__(self):
        return Value(-self.data, [(self, -1.0)])

    def __sub__(self, other):
        other = Value.wrap(other)
        return Value(self.data - other.data, [(self, 1.0), (other, -1.0)])

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return Value.wrap(other) - self

    def __rtruediv__(self, other):
        return Value.wrap(other) / self

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, [(self, 1 - t * t)])

    def relu(self):
        return Value(max(self.data, 0.0), [(self, 1.0 if self.data > 0 else 0.0)])

    def exp(self):
        e = math.exp(self.data)
        return Value(e, [(self, e)])

    def backward(self):
        users, stack, seen = {}, [self], {id(self)}
        while stack:
            node = stack.pop()
            for parent, _ in node.parents:
                users[id(parent)] = users.get(id(parent), 0) + 1
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
        self.grad = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            for parent, local in node.parents:
                parent.grad += local * node.grad
                users[id(parent)] -= 1
                if users[id(parent)] == 0:
                    ready.append(parent)
"""

correct(L10, "Value", "micrograd-like (set of children, int grads)", MICROGRAD)
correct(L10, "Value", "local derivatives stored with each parent, Kahn's order", PAIRS)
correct(
    L10,
    "Value",
    "iterative depth-first topological sort",
    value(
        (
            """        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
""",
            """        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
""",
        )
    ),
)
correct(
    L10,
    "Value",
    "own names, numpy math, a - b as a + b * -1",
    value(
        ("self._prev", "self.kids"),
        ("node._prev", "node.kids"),
        ("out._backward", "out.push_grad"),
        ("self._backward", "self.push_grad"),
        ("node._backward()", "node.push_grad()"),
        ("t = math.tanh(self.data)", "t = float(np.tanh(self.data))"),
        ("Value(math.exp(self.data)", "Value(np.exp(self.data)"),
        ("        return self + (-other)\n", "        return self + other * -1\n"),
    ),
)

mistake(
    L10,
    "Value",
    "= instead of += in the learner's own methods",
    value_source()
    .replace("self.grad += other.data", "self.grad = other.data")
    .replace("other.grad += self.data", "other.grad = self.data")
    .replace("self.grad += k *", "self.grad = k *")
    .replace("self.grad += (1.0 - t * t)", "self.grad = (1.0 - t * t)")
    .replace("self.grad += out.data", "self.grad = out.data"),
    diagnosis="never `=`",
)
mistake(
    L10,
    "Value",
    "no topological order: each node pushes on to its children at once",
    value(
        (
            """        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
""",
            """        self.grad = 1.0

        def push(node):
            node._backward()
            for child in node._prev:
                push(child)

        push(self)
""",
        )
    ),
    diagnosis="reverse topological order",
)
mistake(
    L10,
    "Value",
    "no topological order: breadth first from the output",
    value(
        (
            """        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
""",
            """        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            node = queue.pop(0)
            node._backward()
            for child in node._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)
""",
        )
    ),
    diagnosis="reverse topological order",
)
mistake(
    L10,
    "Value",
    "topological order run forwards",
    value(("for node in reversed(order):", "for node in order:")),
    diagnosis="reverse topological order",
)
mistake(
    L10,
    "Value",
    "no visited set: shared nodes appear twice",
    value(("            if id(node) not in seen:\n", "            if True:\n")),
    diagnosis="each node appears in it once",
)
mistake(
    L10,
    "Value",
    "no seed of 1",
    value(("        self.grad = 1.0\n        for node", "        for node")),
    diagnosis="own grad to 1.0",
)
mistake(
    L10,
    "Value",
    "tanh derivative from the input",
    value(("(1.0 - t * t)", "(1.0 - self.data**2)")),
    diagnosis="instead of the output",
)
mistake(
    L10,
    "Value",
    "power rule without n - 1",
    value(("k * self.data ** (k - 1)", "k * self.data**k")),
    diagnosis="missing its n - 1",
)
mistake(
    L10,
    "Value",
    "mul grads swapped",
    value(
        ("self.grad += other.data * out.grad", "self.grad += self.data * out.grad"),
        ("other.grad += self.data * out.grad", "other.grad += other.data * out.grad"),
    ),
    diagnosis="are swapped",
)
mistake(
    L10,
    "Value",
    "no __rmul__",
    value(("    def __rmul__(self, other):", "    def times_from_left(self, other):")),
    diagnosis="`__rmul__`",
)
mistake(
    L10,
    "Value",
    "no __radd__",
    value(("    def __radd__(self, other):", "    def plus_from_left(self, other):")),
    diagnosis="`__radd__`",
)
mistake(
    L10,
    "Value",
    "__rsub__ computes self - other",
    value(("        return (-self) + other", "        return self - other")),
    diagnosis="must compute other - self",
)
mistake(
    L10,
    "Value",
    "__mul__ does not wrap numbers",
    value(
        (
            "        other = other if isinstance(other, Value) else Value(other)\n        out = Value(self.data * ",
            "        out = Value(self.data * ",
        )
    ),
    diagnosis="turn numbers into Values first",
)
mistake(
    L10,
    "Value",
    "the order outlives a call (mutable default)",
    value(
        ("    def backward(self):", "    def backward(self, order=[]):"),
        ("        order, seen = [], set()\n", "        seen = set()\n"),
    ),
    diagnosis="outlive",
)

TRAIN_AUTODIFF = """
def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    weights = [w11, w12, w21, w22]
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            params = [Value(w) for w in weights]
            error_nn(*params, float(x), float(yy)).backward()
            weights = [p.data - learning_rate * p.grad for p in params]
    return tuple(weights)
"""


def train_autodiff(*swaps):
    code = TRAIN_AUTODIFF
    for old, new in swaps:
        assert old in code, old
        code = code.replace(old, new)
    return code


correct(
    L10,
    "train_autodiff",
    "persistent Values, grads zeroed before each sample",
    """
def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    params = [Value(w11), Value(w12), Value(w21), Value(w22)]
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            for p in params:
                p.grad = 0.0
            error = error_nn(*params, float(x), float(yy))
            error.backward()
            for p in params:
                p.data -= learning_rate * p.grad
    return tuple(float(p.data) for p in params)
""",
)
correct(
    L10,
    "train_autodiff",
    "indexing, own squared error from forward_nn",
    """
def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    X, y = np.ravel(X), np.ravel(y)
    for epoch in range(epochs):
        for i in range(len(X)):
            a, b, c, d = Value(w11), Value(w12), Value(w21), Value(w22)
            miss = forward_nn(a, b, c, d, float(X[i])) - float(y[i])
            loss = miss * miss
            loss.backward()
            w11, w12, w21, w22 = (
                w11 - learning_rate * a.grad,
                w12 - learning_rate * b.grad,
                w21 - learning_rate * c.grad,
                w22 - learning_rate * d.grad,
            )
    return float(w11), float(w12), float(w21), float(w22)
""",
)
correct(
    L10,
    "train_autodiff",
    "zeroes grads after each update, dict of weights",
    """
def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    w = {"w11": Value(w11), "w12": Value(w12), "w21": Value(w21), "w22": Value(w22)}
    samples = list(zip(np.asarray(X, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()))
    for _ in range(epochs):
        for x, yy in samples:
            error_nn(w["w11"], w["w12"], w["w21"], w["w22"], x, yy).backward()
            for v in w.values():
                v.data = v.data - learning_rate * v.grad
                v.grad = 0.0
    return w["w11"].data, w["w12"].data, w["w21"].data, w["w22"].data
""",
)
correct(
    L10,
    "train_autodiff",
    "a Value whose backward() clears the graph's grads first, weights kept across samples",
    value(
        (
            "        visit(self)\n        self.grad = 1.0\n",
            "        visit(self)\n        for node in order:\n            node.grad = 0.0\n        self.grad = 1.0\n",
        )
    )
    + """

def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    params = [Value(w11), Value(w12), Value(w21), Value(w22)]
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            error_nn(*params, float(x), float(yy)).backward()  # backward() clears the old grads itself
            for p in params:
                p.data -= learning_rate * p.grad
    return tuple(p.data for p in params)
""",
)
mistake(
    L10,
    "train_autodiff",
    "grads not refreshed between samples",
    (ROOT / "samples" / "ben" / "10-autodiff.py").read_text(),
    diagnosis="not refreshed between samples",
)
mistake(
    L10,
    "train_autodiff",
    "grads refreshed once per epoch only",
    """
def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    weights = [w11, w12, w21, w22]
    for _ in range(epochs):
        params = [Value(w) for w in weights]
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            error_nn(*params, float(x), float(yy)).backward()
            for p in params:
                p.data -= learning_rate * p.grad
        weights = [p.data for p in params]
    return tuple(weights)
""",
    diagnosis="not refreshed between samples",
)
mistake(
    L10,
    "train_autodiff",
    "returns lesson 6's train_backprop",
    train_backprop()
    + """

def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    return train_backprop(X, y, w11, w12, w21, w22, learning_rate, epochs)
""",
    diagnosis="calls train_backprop",
)
mistake(
    L10,
    "train_autodiff",
    "calls train_backprop without defining it",
    """
def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    return train_backprop(X, y, w11, w12, w21, w22, learning_rate, epochs)
""",
    diagnosis="not part of this lesson",
)
mistake(
    L10,
    "train_autodiff",
    "gradients by hand again",
    train_backprop().replace("def train_backprop(", "def train_autodiff("),
    diagnosis="without Value.backward()",
)
mistake(
    L10,
    "train_autodiff",
    "calls backward() but updates from hand-derived gradients",
    """
def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            x, yy = float(x), float(yy)
            error_nn(Value(w11), Value(w12), Value(w21), Value(w22), x, yy).backward()
            h = w11 * x + w12
            d_o = 2 * (w21 * h + w22 - yy)
            w11, w12, w21, w22 = (
                w11 - learning_rate * d_o * w21 * x,
                w12 - learning_rate * d_o * w21,
                w21 - learning_rate * d_o * h,
                w22 - learning_rate * d_o,
            )
    return w11, w12, w21, w22
""",
    diagnosis="do not use the .grad",
)
mistake(
    L10,
    "train_autodiff",
    "backward() on the output, not the error",
    train_autodiff(
        ("error_nn(*params, float(x), float(yy)).backward()", "forward_nn(*params, float(x)).backward()")
    ),
    diagnosis="called on the network's output",
)
mistake(
    L10,
    "train_autodiff",
    "moves uphill",
    train_autodiff(("p.data - learning_rate * p.grad", "p.data + learning_rate * p.grad")),
    diagnosis="moves uphill",
)
mistake(
    L10,
    "train_autodiff",
    "one epoch too many",
    train_autodiff(("range(epochs)", "range(epochs + 1)")),
    diagnosis="one epoch too many",
)
mistake(
    L10,
    "train_autodiff",
    "learning rate ignored",
    train_autodiff(("learning_rate * p.grad", "0.01 * p.grad")),
    diagnosis="learning rate you were given is ignored",
)

# --- the diagnosis column: the phrase each mistake's feedback must contain -----------------------------------
# Lessons 1-6 keep theirs in this table; later lessons pass it to mistake(...) where the row is written.
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
ROWS[:] = [
    r._replace(diagnosis=DIAGNOSIS.get((r.function, r.label), r.diagnosis)) if r.kind == "mistake" else r
    for r in ROWS
]
assert all(r.diagnosis for r in ROWS if r.kind == "mistake"), "every mistake needs its diagnosis phrase"


# --- running the table through the real grader -------------------------------------------------------------


def submission(row):
    """A .py submission: the lesson's reference functions, then the row's code, which replaces one of them."""
    from solutions import LESSON_MODULES

    module = importlib.import_module(f"solutions.{LESSON_MODULES[row.lesson]}")
    functions = [  # and the reference's own classes (lesson 10's Value)
        textwrap.dedent(inspect.getsource(f))
        for f in vars(module).values()
        if inspect.isfunction(f) or (inspect.isclass(f) and f.__module__ == module.__name__)
    ]
    return "\n\n".join(["import math", "import numpy as np", *functions, row.code]) + "\n"


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
