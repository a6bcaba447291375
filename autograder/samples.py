"""Bundled sample submissions, built from the release notebooks: `samples/submitted/<learner>/<lesson>/`.

For every lesson: `ada` answers everything correctly, `ben` makes one realistic mistake, `cy` submits the
release notebook untouched. `python -m autograder assign` rebuilds them with the release.
"""

import importlib
import inspect
import textwrap
from pathlib import Path

import nbformat

from solutions import LESSON_MODULES

from . import ROOT

LEARNERS = ("ada", "ben", "cy")

# Ben's one mistake per lesson: the function he gets wrong and the code he wrote.
BEN = {
    "01-functions": '''
def total(*args):
    """Return the sum of any number of values."""
    result = args[0]
    for value in args[1:]:
        result = result + value
    return result
''',
    "02-numeric-diff": '''
def diff(fn, x, delta=1e-12):
    """Return an estimate of the derivative fn'(x), as a float, using a step of size `delta`."""
    return (fn(x + delta) - fn(x)) / delta
''',
    "03-partial-derivatives": '''
def diffp(fn, idx, *args, delta=1e-6):
    """Return an estimate of the partial derivative of fn(*args) with respect to args[idx], as a float."""
    y = fn(*args)
    args = list(args)
    args[idx] += delta
    return (fn(*args) - y) / delta
''',
    "04-chain-rule": '''
def chain_diff(outer, inner, x):
    """Return the derivative of outer(inner(x)) at x, as the product of the two local derivatives."""
    return diff(outer, x) * diff(inner, x)
''',
    "05-gradient-descent": '''
def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    """Fit y = m*x + c to (X, y) by `epochs` steps of gradient descent on `error`; return (m, c)."""
    for _ in range(epochs):
        m = m - learning_rate * diffp(error, 0, m, c, X, y)
        c = c - learning_rate * diffp(error, 1, m, c, X, y)
    return m, c
''',
    "06-backprop": '''
def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    """Train the network on (X, y) with backpropagation; return the final (w11, w12, w21, w22)."""
    for _ in range(epochs):
        for x, yy in zip(X.ravel(), y.ravel()):
            h = w11 * x + w12
            o = w21 * h + w22
            dE_do = 2 * (o - yy)
            w21 = w21 - learning_rate * dE_do * h
            w22 = w22 - learning_rate * dE_do
            dE_dh = dE_do * w21
            w11 = w11 - learning_rate * dE_dh * x
            w12 = w12 - learning_rate * dE_dh
    return float(w11), float(w12), float(w21), float(w22)
''',
}


def answer(lesson, function, learner):
    """The code `learner` wrote for `function`."""
    if learner == "ben":
        wrong = BEN[lesson].strip()
        if wrong.startswith(f"def {function}("):
            return wrong
    module = importlib.import_module(f"solutions.{LESSON_MODULES[lesson]}")
    return textwrap.dedent(inspect.getsource(getattr(module, function))).rstrip("\n")


def sample(release_nb, lesson, learner):
    """A copy of the release notebook as `learner` would submit it."""
    nb = nbformat.from_dict(release_nb)
    if learner == "cy":
        return nb
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = answer(lesson, meta["grade_id"], learner)
    return nb


def build(root=ROOT):
    """Write every sample notebook; return their paths."""
    paths = []
    for lesson in LESSON_MODULES:
        release = nbformat.read(Path(root) / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        for learner in LEARNERS:
            path = Path(root) / "samples" / "submitted" / learner / lesson / f"{lesson}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(sample(release, lesson, learner), path)
            paths.append(path)
    return paths
