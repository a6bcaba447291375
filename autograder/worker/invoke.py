"""Call one learner function and turn what happens into a plain reply.

Shared by the sandboxed worker and the in-kernel nbgrader path, so both grade the same way.
"""

import copy
import functools
import json

import numpy as np

from .plain import Unsupported, decode_arg, describe_exception, encode
from .programs import REGISTRY, ProgramError
from .trace import Tracer


def defined_functions(namespace):
    """Names of the top-level callables the learner's code defined."""
    return sorted(name for name, value in namespace.items() if callable(value) and not name.startswith("_"))


def invoke(namespace, name, args, kwargs, trace=False, program=False):
    """Call namespace[name](*args, **kwargs) on plain-data arguments; return a plain reply dict.

    The reply is {"value": plain data, "error": str or None, "mutated": [positions]}, plus "trace" (see
    trace.py) when asked. Array arguments are copied first, so in-place changes to them can be reported as
    mutation of the caller's data. With `program`, `name` is a named check program (programs/), which is
    called with the namespace first.
    """
    args = [decode_arg(a) for a in args]
    kwargs = {k: decode_arg(v) for k, v in kwargs.items()}
    originals = {i: copy.deepcopy(a) for i, a in enumerate(args) if isinstance(a, np.ndarray)}
    reply = {"value": None, "error": None, "mutated": []}
    tracer = Tracer(namespace) if trace else None
    if program:
        target = functools.partial(REGISTRY[name], namespace)
    else:
        target = namespace[name]
    try:
        if tracer is None:
            value = target(*args, **kwargs)
        else:
            with tracer:
                value = target(*args, **kwargs)
        reply["value"] = encode(value)
    except ProgramError as exc:
        reply["error"] = f"ProgramError: {exc}"
    except Unsupported as exc:
        reply["error"] = f"returned {exc}"
    except BaseException as exc:  # noqa: BLE001 - any learner failure, SystemExit included, is a reply
        reply["error"] = describe_exception(exc)
    reply["mutated"] = [
        i
        for i, before in originals.items()
        if not (before.shape == np.shape(args[i]) and np.array_equal(before, args[i], equal_nan=True))
    ]
    if tracer is not None:
        reply["trace"] = tracer.report()
    json.dumps(reply)  # fail here, not on the wire, if anything non-plain slipped in
    return reply
