"""Which of the learner's own functions a call used, and with what: evidence that a grade certifies the idea.

A check may ask for a traced call (`learner.traced("chain_diff", ...)`). While it runs, a profile hook
records every call to a function the learner's cells defined (top level, nested, lambdas) and to the named
test functions, as `[name, args, result]` with numbers as floats and functions by name. The record is
plain data; checks judge it in the grader's process. It is behaviour, not source: a learner's
`diff(lambda v: outer(inner(v)), x)` shows as `outer` only ever called at values `inner` returned.

Learner code can switch the hook off or forge the record, as it can forge any answer; a check treats a
missing record as missing evidence, never as a pass.
"""

import sys
import types

import numpy as np

from .testfns import LIBRARY

MAX_CALLS = 2000  # records kept; later calls are only counted
MAX_ARGS = 12  # numbers kept per call
MAX_NAME = 120


def _codes(function, seen):
    """The code object of `function` and of everything nested in it (inner functions, lambdas)."""
    stack = [function.__code__]
    while stack:
        code = stack.pop()
        if code in seen:
            continue
        seen[code] = code.co_qualname[:MAX_NAME]
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))


def learner_codes(namespace):
    """{code object: qualified name} for the learner's functions and the named test functions."""
    seen = {}
    for value in list(namespace.values()):  # defined by the learner's cells: their globals are the namespace
        if isinstance(value, types.FunctionType) and value.__globals__ is namespace:
            _codes(value, seen)
    for name, function in LIBRARY.items():
        seen[function.__code__] = name
    return seen


def plain(value, names):
    """A number as a float, a traced function as 'fn:<name>', anything else as None. Never raises: the
    value may be a learner object whose attributes run code."""
    try:
        return _plain(value, names)
    except BaseException:  # noqa: BLE001 - an unreadable value is simply not evidence
        return None


def _plain(value, names):
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float.__float__(float(value))
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(()))
    code = getattr(value, "__code__", None)
    if code is not None and code in names:
        return "fn:" + names[code]
    name = getattr(value, "name", None)  # a TestFn passed as an argument
    if type(name) is str and name in LIBRARY and type(value).__name__ == "TestFn":
        return "fn:" + name
    return None


def _arguments(frame):
    """The values of a frame's parameters at entry, *args flattened, in order."""
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    local = frame.f_locals
    values = [local.get(n) for n in code.co_varnames[:count]]
    if code.co_flags & 0x04:  # CO_VARARGS
        values.extend(local.get(code.co_varnames[count], ()))
    return values


class Tracer:
    """Record calls to the learner's functions while active (a context manager)."""

    def __init__(self, namespace):
        self.names = learner_codes(namespace)
        self.calls = []  # [name, args, result]
        self.dropped = 0
        self._open = {}  # frame -> its record, until it returns

    def _hook(self, frame, event, arg):
        if event == "call":
            name = self.names.get(frame.f_code)
            if name is None:
                return
            if len(self.calls) >= MAX_CALLS:
                self.dropped += 1
                return
            record = [name, [plain(v, self.names) for v in _arguments(frame)][:MAX_ARGS], None]
            self.calls.append(record)
            self._open[frame] = record
        elif event == "return":
            record = self._open.pop(frame, None)
            if record is not None:
                record[2] = plain(arg, self.names)

    def __enter__(self):
        self._previous = sys.getprofile()
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc):
        sys.setprofile(self._previous)
        self._open.clear()

    def report(self):
        return {"calls": self.calls, "dropped": self.dropped}


def decode_trace(data):
    """The grader's strict reading of a trace: a list of (name, args, result), or ValueError."""
    if type(data) is not dict or set(data) != {"calls", "dropped"}:
        raise ValueError("malformed trace")
    calls, dropped = data["calls"], data["dropped"]
    if type(calls) is not list or len(calls) > MAX_CALLS or type(dropped) is not int or dropped < 0:
        raise ValueError("malformed trace")
    out = []
    for call in calls:
        if type(call) is not list or len(call) != 3:
            raise ValueError("malformed trace call")
        name, args, result = call
        if type(name) is not str or type(args) is not list or len(args) > MAX_ARGS:
            raise ValueError("malformed trace call")
        for value in [*args, result]:
            text = type(value) is str and len(value) < 200
            if not (value is None or text or type(value) in (int, float)):
                raise ValueError("malformed trace value")
        name = "".join(ch if ch.isprintable() else "?" for ch in name[:MAX_NAME])  # it is shown in messages
        out.append((name, tuple(float(a) if type(a) is int else a for a in args), result))
    return out, dropped
