"""Name the likely mistake behind a wrong answer, from behaviour only (never from the learner's source).

Two ways: compare the answer with known wrong variants of the reference run on the same inputs
(`likely`), and read the exception a learner's function raised (`error_hint`). Hints name the mistake and
where to look; they never contain an expected value.
"""

import inspect
import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mistake:
    hint: str  # what the learner reads
    answer: object  # callable(*args, **kwargs) -> the answer this mistake produces


def likely(mistakes, got, args, kwargs=None, rtol=1e-3, project=None):
    """The hint of the first mistake whose answer on these inputs matches `got`, else None."""
    got = np.asarray(got, dtype=float)
    for mistake in mistakes:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):  # some mistakes overflow, by design
                warnings.simplefilter("ignore")
                wrong = mistake.answer(*args, **(kwargs or {}))
                wrong = np.asarray(project(wrong) if project else wrong, dtype=float)
        except Exception:  # noqa: BLE001 - a variant that cannot run on these inputs just does not match
            continue
        if wrong.shape != got.shape:
            continue
        close = np.isfinite(wrong) & (np.abs(got - wrong) <= rtol * np.abs(wrong) + 1e-12)
        blown_up = (np.abs(got) > 1e6) & (np.abs(wrong) > 1e6) & (np.sign(got) == np.sign(wrong))
        if np.all(close | blown_up):
            return mistake.hint
    return None


# (function or None for any, text in the error, hint)
ERROR_HINTS = [
    (None, "for ^", "`^` is bitwise XOR in Python, not a power: write `x ** 2`."),
    (None, "returned a value of type map", "map() returns a lazy iterator: wrap it in list(...)."),
    (None, "returned a value of type generator", "a generator is lazy: build a list (or tuple) instead."),
    ("total", "IndexError", "total() with no arguments must return 0: start the sum at 0, not at args[0]."),
    ("total", "positional argument", "total must accept any number of arguments: write `def total(*args)`."),
    (
        None,
        "only 0-dimensional arrays",
        "a (1,)-shaped array reached float(): turn each sample into a plain "
        "float first, e.g. `x = float(X[i, 0])`.",
    ),
    (None, "unhashable type", "a numpy array was used where a number was expected: index out single values."),
]


MUTATION_HINTS = {
    "diffp": "`args[idx] += delta` on a numpy array changes the caller's array; build a new list of "
    "arguments with `args[idx] = args[idx] + delta`.",
}


def error_hint(function, error):
    """A hint for an exception message raised by the learner's `function`, or None."""
    for name, text, hint in ERROR_HINTS:
        if name in (None, function) and text in error:
            return hint
    return None


def as_keywords(function, args, kwargs):
    """Positional and keyword arguments of a call to `function`, all by name, defaults filled in.

    Mistake variants take the graded function's parameters by name, however the check passed them.
    """
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)
