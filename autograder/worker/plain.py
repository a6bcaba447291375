"""Plain data across the process boundary.

Learner code may return anything: a float subclass with a lying `__eq__`, an object that overrides every
operator, an array of objects. `encode` (run beside learner code) turns a return value into JSON-able data
or refuses it; `decode` (run in the trusted grader) accepts only JSON numbers, lists and tagged arrays, so
whatever arrives can only be an honest number, never an object with behaviour. A learner's exception
crosses as text only (`describe_exception`).
"""

import math

import numpy as np

from .testfns import LIBRARY

ARRAY_TAG = "__ndarray__"
TESTFN_TAG = "__testfn__"
MAX_ITEMS = 100_000
MAX_DEPTH = 4
MAX_MESSAGE = 300


class Unsupported(TypeError):
    """A value that cannot be graded (wrong type, too big, too deep)."""


class TestFn:
    """A reference to a function in the test-function library, passed to learner code by name."""

    __test__ = False  # not a pytest test class

    def __init__(self, name, *params):
        if name not in LIBRARY:
            raise KeyError(f"no test function named {name!r}")
        self.name = name
        self.params = tuple(float(p) for p in params)  # coefficients a check chose, passed first

    def __call__(self, *args):
        return LIBRARY[self.name](*self.params, *args)

    def __repr__(self):
        return self.name


# --- learner value -> plain data (runs beside learner code) ---------------------------------------------


def encode(value, depth=0):
    """Return JSON-able data for a learner's return value, or raise Unsupported."""
    if depth > MAX_DEPTH:
        raise Unsupported("nested too deeply")
    if value is None or type(value) is bool or isinstance(value, np.bool_):
        return None if value is None else bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float.__float__(float(value))
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise Unsupported("too many items")
        return [encode(item, depth + 1) for item in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise Unsupported(f"an array of {value.dtype} (expected numbers)")
        if value.size > MAX_ITEMS:
            raise Unsupported("an array that is too large")
        flat = np.asarray(value, dtype=np.float64).ravel()
        return {ARRAY_TAG: [float(v) for v in flat], "shape": [int(n) for n in value.shape]}
    raise Unsupported(f"a value of type {type(value).__name__[:60]}")


# --- plain data -> trusted Python values (runs in the grader) -----------------------------------------------


def decode(data, depth=0):
    """Rebuild a value from plain data, accepting only numbers, None, bools, lists and tagged arrays."""
    if depth > MAX_DEPTH:
        raise Unsupported("nested too deeply")
    if data is None or type(data) is bool:
        return data
    if type(data) is int:
        return data
    if type(data) is float:
        return data
    if type(data) is list:
        if len(data) > MAX_ITEMS:
            raise Unsupported("too many items")
        return [decode(item, depth + 1) for item in data]
    if type(data) is dict and set(data) == {ARRAY_TAG, "shape"}:
        items, shape = data[ARRAY_TAG], data["shape"]
        if type(items) is not list or type(shape) is not list or len(shape) > MAX_DEPTH:
            raise Unsupported("a malformed array")
        if not all(type(n) is int and 0 <= n <= MAX_ITEMS for n in shape):
            raise Unsupported("a malformed array shape")
        if not all(type(v) in (int, float) for v in items) or math.prod(shape) != len(items):
            raise Unsupported("a malformed array")
        return np.array(items, dtype=np.float64).reshape(shape)
    raise Unsupported("malformed data")


# --- call arguments, both ways ---------------------------------------------------------------------------


def encode_arg(value):
    """Encode a trusted call argument (numbers, sequences, float arrays, TestFn) for the worker."""
    if isinstance(value, TestFn):
        return {TESTFN_TAG: value.name, **({"params": list(value.params)} if value.params else {})}
    if isinstance(value, tuple):
        return {"__tuple__": [encode_arg(v) for v in value]}
    if isinstance(value, list):
        return [encode_arg(v) for v in value]
    return encode(value)


def decode_arg(data):
    """Rebuild a call argument beside learner code: arrays come back as fresh float64 arrays."""
    if type(data) is dict and TESTFN_TAG in data:
        return TestFn(data[TESTFN_TAG], *data.get("params", ()))
    if type(data) is dict and "__tuple__" in data:
        return tuple(decode_arg(v) for v in data["__tuple__"])
    if type(data) is list:
        return [decode_arg(v) for v in data]
    return decode(data)


# --- a learner's exception -> text (runs beside learner code) ------------------------------------------


def describe_exception(exc):
    """'TypeError: message', truncated; the message comes from learner code, so treat it as text only."""
    try:
        text = f"{type(exc).__name__}: {exc}"
    except BaseException:  # noqa: BLE001 - a learner's __str__ may raise
        text = type(exc).__name__
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."
