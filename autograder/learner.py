"""The learner's functions as checks see them: `learner.diffp(...)` returns a plain value or raises Fail.

Checks never hold learner objects. A backend runs the call somewhere (a sandboxed worker for batch grading,
the notebook's own kernel under nbgrader) and hands back an Outcome of plain data.
"""

import json

import numpy as np

from .checks import Fail
from .checks.diagnose import error_hint, mutation_hint
from .sandbox import Outcome
from .worker.invoke import defined_functions, invoke
from .worker.plain import TestFn, decode, encode_arg
from .worker.trace import decode_trace


class Learner:
    """Attribute access gives the learner's function, wrapped so every call is checked and explained."""

    def __init__(self, backend):
        self._backend = backend

    @property
    def defined(self):
        return self._backend.defined

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._checked(name, args, kwargs).value

    def traced(self, name, *args, **kwargs):
        """Call `name` as `learner.<name>(...)` does; return (value, calls), where calls lists the learner's
        own function calls it made, as (name, args, result) (worker/trace.py), or None if none were seen."""
        result = self._checked(name, args, kwargs, trace=True)
        return result.value, result.trace

    def program(self, name, *args, **kwargs):
        """Run the named check program (worker/programs/) beside the learner's code; return its plain value.
        Its errors and the mutations it saw are explained as for a call of the learner's own functions."""
        return self._checked(name, args, kwargs, program=True).value

    def _checked(self, name, args, kwargs, trace=False, program=False):
        if not program and name not in self._backend.defined:
            raise Fail(f"`{name}` is not defined. Keep the function's name and signature exactly as given.")
        result = self._backend.request(name, args, kwargs, trace=trace, program=program)
        if result.mutated:
            raise Fail(mutation(name, args, kwargs, result.mutated))
        if result.error is not None:
            raise Fail(explain(name, args, kwargs, result.error))
        return result


def mutation(name, args, kwargs, positions):
    """A call changed the caller's arrays in place: say which, and how to avoid it."""
    which = ", ".join(str(i + 1) for i in positions)
    text = (
        f"{describe_call(name, args, kwargs)} changed the caller's array argument(s) in place (argument "
        f"{which}). Work on new values: `a += b` and `a[i] = v` write into the caller's array."
    )
    hint = mutation_hint(name, args, positions)
    return f"{text}\nLikely mistake: {hint}" if hint else text


def explain(name, args, kwargs, error):
    """What a failed call did, for the learner, with a hint when the error points at a known mistake."""
    if error.startswith("ProgramError: "):  # a check program already says it in the learner's terms
        return error[len("ProgramError: ") :]
    call = describe_call(name, args, kwargs)
    if error.startswith("NotImplementedError"):
        return f"{call} raised NotImplementedError: replace the `raise NotImplementedError()` stub with code."
    if error.startswith("returned "):
        text = f"{call} {error}, which cannot be graded; return plain numbers (floats, or a tuple of floats)."
    else:
        text = f"{call} raised {error}"
    hint = error_hint(name, error)
    return f"{text}\nLikely mistake: {hint}" if hint else text


def describe_call(name, args, kwargs):
    """A short, readable rendering of a call, e.g. `diffp(mixed3, 1, 1.5, -0.7, 2.0)`."""
    parts = [_show_arg(a) for a in args] + [f"{k}={_show_arg(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _show_arg(value):
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_show_arg(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show_arg(v) for v in value) + ")"
    if isinstance(value, TestFn):
        return value.name
    return repr(value)


class LocalBackend:
    """Calls functions in a namespace in this process. Only for trusted code or nbgrader's own kernel.

    Arguments and answers take the same plain-data round trip as in the sandboxed worker, so a learner
    graded here is graded exactly as in the batch grader.
    """

    def __init__(self, namespace):
        self._namespace = namespace

    @property
    def defined(self):
        return set(defined_functions(self._namespace))

    def request(self, name, args, kwargs, trace=False, program=False):
        wire_args = json.loads(json.dumps([encode_arg(a) for a in args]))
        wire_kwargs = json.loads(json.dumps({k: encode_arg(v) for k, v in kwargs.items()}))
        reply = invoke(self._namespace, name, wire_args, wire_kwargs, trace, program)
        reply = json.loads(json.dumps(reply))
        calls = decode_trace(reply["trace"])[0] if "trace" in reply else None
        return Outcome(decode(reply["value"]), reply["error"], reply["mutated"], calls)
