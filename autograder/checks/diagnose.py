"""Name the likely mistake behind a wrong answer, from behaviour only (never from the learner's source).

A wrong hint is worse than none, so a hint is given only on evidence that singles one mistake out:

- `likely` compares the answer with known wrong variants of the reference run on the same inputs, and
  names a variant only when it explains the answer and every other variant, and the correct answer
  itself, are clearly farther away;
- `error_hint` reads the exception the learner's function raised, with advice for that function;
- `mutation_hint` explains an in-place change of the caller's arrays;
- quotients.py reads where a traced diff or diffp evaluated fn.

When nothing is singled out, `next_step` gives advice that fits the function without guessing a cause.
Hints never contain an expected value.
"""

import inspect
import math
import re
import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mistake:
    hint: str  # what the learner reads
    answer: object  # callable(*args, **kwargs) -> the answer this mistake produces


# An explanation must be this many times closer to the learner's answer than any rival explanation,
# and rivals must be at least this many match tolerances away.
APART = 10.0
BLOWN_UP = 1e6


def distance(got, candidate):
    """How far `got` is from `candidate`, relative to the candidate's size (elementwise, the largest).

    Elements where both are huge (> 1e6) with the same sign count as equal: a diverging update is
    recognised by its direction, not by its exact value, which round-off soon changes. Two mistakes that
    both diverge the same way then explain an answer equally, and neither is named.
    """
    try:
        got, candidate = np.asarray(got, dtype=float), np.asarray(candidate, dtype=float)
    except (TypeError, ValueError):
        return math.inf
    if got.shape != candidate.shape or not np.all(np.isfinite(candidate)):
        return math.inf
    if got.size == 0:
        return 0.0
    scale = np.maximum(np.abs(candidate), 1e-12)
    gap = np.abs(got - candidate) / scale
    blown_up = (
        (np.abs(got) > BLOWN_UP) & (np.abs(candidate) > BLOWN_UP) & (np.sign(got) == np.sign(candidate))
    )
    return float(np.max(np.where(blown_up, 0.0, gap)))


def answers(mistakes, args, kwargs=None, project=None):
    """{hint: [answers]} of every mistake that runs on these inputs (one hint may have several variants)."""
    found = {}
    for mistake in mistakes:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):  # some mistakes overflow, by design
                warnings.simplefilter("ignore")
                wrong = mistake.answer(*args, **(kwargs or {}))
                wrong = np.asarray(project(wrong) if project else wrong, dtype=float)
        except Exception:  # noqa: BLE001, S112 - a variant that cannot run on these inputs explains nothing
            continue
        found.setdefault(mistake.hint, []).append(wrong)
    return found


def single_out(got, candidates, rtol, rivals=()):
    """The key of the one candidate that explains `got`, or None.

    `candidates` maps a key to its answers; `rivals` are further answers that must not explain `got`
    (the correct answer). The best candidate must lie within `rtol` of `got`, and every other candidate
    and rival at least max(APART * its distance, APART * rtol) away.
    """
    scored = sorted(
        (min((distance(got, a) for a in group), default=math.inf), key) for key, group in candidates.items()
    )
    if not scored or scored[0][0] > rtol:
        return None
    best, key = scored[0]
    others = [d for d, _ in scored[1:]] + [distance(got, r) for r in rivals]
    if any(d < APART * max(best, rtol) for d in others):
        return None
    return key


def likely(mistakes, got, args, kwargs=None, rtol=1e-3, project=None, want=None):
    """The hint of the one mistake that explains `got` clearly better than any other and than `want`.

    `want` is the correct answer (in the same space as `got`); checks get it passed by `expect_close`.
    Without it, the correct answer is not considered a rival, so pass it whenever it is known.
    """
    rivals = () if want is None else (want,)
    return single_out(got, answers(mistakes, args, kwargs, project), rtol, rivals)


# --- exceptions ----------------------------------------------------------------------------------------
# (function, or None for any; text in the error; hint). The first match wins, so specific rows come first.
FLOAT_OF_ARRAY = ("only 0-dimensional arrays", "only length-1 arrays", "only size-1 arrays")

ERROR_HINTS = [
    (None, "for ^", "`^` is bitwise XOR in Python, not a power: write `x ** 2`."),
    (None, "returned a value of type map", "map() returns a lazy iterator: wrap it in list(...)."),
    (None, "returned a value of type generator", "a generator is lazy: build a list (or tuple) instead."),
    ("total", "IndexError", "total() with no arguments must return 0: start the sum at 0, not at args[0]."),
    ("total", "positional argument", "total must accept any number of arguments: write `def total(*args)`."),
    *(
        (
            "diffp",
            text,
            "float() was called on an array: diffp's arguments may be numpy arrays (weights of shape (1,), "
            "data of shape (n, 1)), so do not convert them. `args[idx] + delta` works for numbers and "
            "arrays alike; convert only fn's result, if at all.",
        )
        for text in FLOAT_OF_ARRAY
    ),
    *(
        (
            name,
            text,
            "float() was called on an array: X and y may be shaped (n, 1), so X[i] is an array of shape "
            "(1,). Take single values with X[i, 0], or flatten first with np.ravel(X).",
        )
        for name in ("error", "grad_fit")
        for text in FLOAT_OF_ARRAY
    ),
    *(
        (
            name,
            text,
            "a (1,)-shaped array reached float(): turn each sample into a plain float first, e.g. "
            "`x = float(X[i, 0])`.",
        )
        for name in ("train_numeric", "train_backprop")
        for text in FLOAT_OF_ARRAY
    ),
    (None, "unhashable type", "a numpy array was used where a number was expected: index out single values."),
]


def error_hint(function, error):
    """A hint for an exception message raised by the learner's `function`, or None."""
    for name, text, hint in ERROR_HINTS:
        if name in (None, function) and text in error:
            return hint
    return None


# --- mutation -------------------------------------------------------------------------------------------


DIFFP_MUTATION = (
    "`+=` on a list slot that holds the caller's numpy array (`args[idx] += delta`) changes that array "
    "in place: build the nudged value as a new one, `args[idx] + delta`."
)


def mutation_hint(function, args, positions):
    """A hint for a call that changed the caller's arrays at argument `positions` (0-based), or None.

    diffp(fn, idx, *args) should nudge only args[idx]: a change to exactly that argument singles out
    `+=` on it. A change anywhere else is reported without a guess.
    """
    if function == "diffp" and len(args) > 1 and type(args[1]) is int and list(positions) == [args[1] + 2]:
        return DIFFP_MUTATION
    return None


# --- when nothing is singled out ----------------------------------------------------------------------------
NEXT_STEPS = {
    "sq": "try your function on a few numbers you can square in your head, negative ones included.",
    "add": "try your function on a few pairs you can add in your head, with fractional parts.",
    "total": "try your function with no arguments, one, and several with fractional parts.",
    "apply_transformation": "try it on a short list with a function whose results you know, e.g. sq.",
    "diff": "try your diff on a straight line, whose slope you know, then check your step size against "
    "lesson 2's study.",
    "diffp": "check that only args[idx] is nudged, on line_y, whose partial derivatives you know by heart; "
    "then check your step size against lesson 2's study.",
    "chain_diff": "compute outer'(inner(x)) and inner'(x) separately on a composition you can do by hand.",
    "error": "compute the error by hand for two or three points and compare.",
    "grad_fit": "run one step (epochs=1) by hand on two or three points, compare, then check the update.",
    "neuron": "compute a neuron by hand for one input.",
    "forward_nn": "compute the hidden value and the output by hand for one input.",
    "error_nn": "compute the network's output by hand, then its squared error.",
    "train_numeric": "run one epoch on one or two samples by hand and compare the four weights.",
    "train_backprop": "check your local derivatives on one sample against diffp of error_nn, then the "
    "update.",
}


def next_step(function):
    """Advice that fits `function` whatever the cause, for when no mistake is singled out."""
    return NEXT_STEPS.get(function)


def function_of(call):
    """The function named by a call's text, e.g. 'diffp' from 'diffp(mixed3, 1, ...)'."""
    found = re.match(r"\s*([A-Za-z_]\w*)\s*[(]", call)
    return found.group(1) if found else None


def as_keywords(function, args, kwargs):
    """Positional and keyword arguments of a call to `function`, all by name, defaults filled in.

    Mistake variants take the graded function's parameters by name, however the check passed them.
    """
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)
