"""Pure comparisons for checks: turn learner answers into numbers and compare them with the reference.

Messages say what was called and what came back, never the expected value.
"""

import math

import numpy as np

from . import Fail
from .diagnose import function_of, next_step


def rel_error(a, b):
    """CS231n's relative error, elementwise max: |a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def number(value, what):
    """A learner's answer as one finite float; a size-1 array counts as its element."""
    if value is None:
        raise Fail(
            f"{what} returned None.\nLikely mistake: the function has no `return` (printing a value does "
            "not return it): end it with `return result`."
        )
    if isinstance(value, np.ndarray) and value.size == 1:
        value = float(value.reshape(()))
    if type(value) is bool or not isinstance(value, int | float):
        raise Fail(f"{what} returned {_kind(value)}; it should return a single number.")
    value = float(value)
    if not math.isfinite(value):
        raise Fail(f"{what} returned {value}; it should return a finite number.")
    return value


def numbers(value, count, what):
    """A learner's answer as `count` finite floats (a tuple, a list or an array of that many numbers)."""
    if isinstance(value, np.ndarray):
        value = list(value.ravel()) if value.size == count else value
    if not isinstance(value, list) or len(value) != count:
        raise Fail(f"{what} returned {_kind(value)}; it should return a tuple of {count} numbers.")
    return [number(v, f"{what} (item {i + 1} of {count})") for i, v in enumerate(value)]


def expect_close(got, want, what, rtol, atol=0.0, hint=None):
    """Fail unless every number in `got` is within atol + rtol * |want| of `want`.

    `hint`, called only on failure as hint(want=want), may return a sentence naming the likely mistake
    (diagnose.likely and the checks' own hint functions take the correct answer that way, as a rival
    explanation). Without a hint, the message ends with advice that fits the function, not a guess.
    """
    got_arr, want_arr = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if np.all(np.abs(got_arr - want_arr) <= atol + rtol * np.abs(want_arr)):
        return
    raise Fail(wrong_value(got, want, what, rtol, hint(want=want) if hint else None))


def wrong_value(got, want, what, rtol, likely=None, advice=None):
    """The message for a wrong answer: what came back and how far off, relatively; never `want`.
    `advice` replaces the function's generic next step when the check knows better."""
    shown, off = _show(got), relative_gap(got, want)
    if rel_error(got, want) < 1e-2:
        message = f"{what} returned {shown}: close, but not within the tolerance (relative {rtol:g})"
        message += f"; its relative error is {off}." if off else "."
    else:
        message = f"{what} returned {shown}, which is not the correct value"
        message += f" (relative error {off})." if off else "."
    if likely:
        return f"{message}\nLikely mistake: {likely}"
    advice = advice or next_step(function_of(what))
    return f"{message}\nNext step: {advice}" if advice else message


def relative_gap(got, want):
    """|got - want| / |want| (Euclidean norms over all numbers) as a decade: 'of order 1e-04', 'between
    1% and 10%'. Coarse on purpose: it says how far off an answer is without giving the correct value away.
    """
    got, want = np.ravel(np.asarray(got, dtype=float)), np.ravel(np.asarray(want, dtype=float))
    size = float(np.linalg.norm(want))
    if got.shape != want.shape or size == 0.0 or not np.all(np.isfinite(got)):
        return None
    gap = float(np.linalg.norm(got - want)) / size
    if gap >= 1.0:
        return "100% or more"
    if gap >= 0.1:
        return "between 10% and 100%"
    if gap >= 0.01:
        return "between 1% and 10%"
    return f"of order {10.0 ** math.floor(math.log10(gap)):.0e}" if gap > 0 else None


def expect_equal(got, want, what):
    """Fail unless `got` equals `want` exactly (for integer or exact answers)."""
    if got != want:
        message = f"{what} returned {_show(got)}, which is not the correct value."
        advice = next_step(function_of(what))
        raise Fail(f"{message}\nNext step: {advice}" if advice else message)


def _show(value):
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return repr(value)


def _kind(value):
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, list):
        return f"a sequence of {len(value)} items"
    return f"a {type(value).__name__} ({_show(value)})"
