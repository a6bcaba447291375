"""Check programs for lesson 8: an activation's forward pass, then its backward pass on the learner's own
cache, with what numpy warned about and which arrays the learner's code changed.

The cache is the learner's object, so both passes run here and only arrays and counts go back to the
grader. Z and dA are handed on as copies and compared afterwards, so a change is reported as plain data
(the check words it for the learner) instead of as a change to this program's arguments. numpy's warnings
(overflow, invalid value, division by zero: numpy's defaults; not underflow, which exp(-1000) rightly
gives) are switched on and recorded while the learner's code runs, whatever the caller's settings
(nbgrader's path silences them), so both graders see the same overflow. These programs hold no answers.
"""

import warnings

import numpy as np

from ..plain import describe_exception
from . import ProgramError, call, kind, program

ACTIVATIONS = ("sigmoid", "tanh", "relu")


def _run(namespace, name, text, *args):
    """Call the learner's `name`; return (value, number of numpy RuntimeWarnings it raised).
    Any exception becomes a ProgramError that names the call `text`."""
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        try:
            value = call(namespace, name, *args)
        except ProgramError:
            raise
        except Exception as exc:  # noqa: BLE001 - the learner's failure, reported in the learner's terms
            error = describe_exception(exc)
            raise ProgramError(f"{text} raised {error}{_error_hint(error)}") from None
    return value, sum(issubclass(w.category, RuntimeWarning) for w in caught)


def _error_hint(error):
    """A hint for an exception raised on an array where a single number was expected, or ""."""
    if any(t in error for t in ("only length-1 arrays", "only size-1 arrays", "only 0-dimensional")):
        return (
            "\nLikely mistake: math.exp (or float()) was given an array: use np.exp, which works "
            "elementwise on a whole array."
        )
    if "truth value of an array" in error:
        return (
            "\nLikely mistake: Python's max, `if` and `and` need one True or False, and a comparison of "
            "arrays gives one per element: use numpy's elementwise tools, np.maximum(Z, 0) or a mask Z > 0."
        )
    return ""


def _array(value, what):
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise ProgramError(f"{what} is {kind(value)}; it should be a numpy array shaped like Z.")
    return value


def _forward(namespace, name, Z):
    """(A, a copy of A, cache, warnings, Z changed, the Z the learner got) from <name>_forward on a copy."""
    Z_in = Z.copy()
    text = f"{name}_forward(<array of shape {Z.shape}>)"
    result, warned = _run(namespace, f"{name}_forward", text, Z_in)
    if not isinstance(result, tuple | list) or len(result) != 2:
        hint = ""
        if isinstance(result, np.ndarray):
            hint = "\nLikely mistake: the cache is missing: return both, `return A, cache`."
        raise ProgramError(f"{text} returned {kind(result)}; it should return a pair (A, cache).{hint}")
    A = _array(result[0], f"The A that {text} returned (the first item of the pair)")
    changed = not np.array_equal(Z_in, Z, equal_nan=True)
    return A, A.copy(), result[1], warned, changed, Z_in


def _forward_only(namespace, name, Z):
    """[A, warnings, Z changed] from the learner's <name>_forward(Z); the cache stays here."""
    _, A, _, warned, changed, _ = _forward(namespace, name, Z)
    return [A, warned, int(changed)]


def _forward_backward(namespace, name, Z, dA):
    """<name>_forward(Z), then <name>_backward(dA, cache) twice on its cache.

    Returns [dZ, dZ again, forward warnings, backward warnings, Z changed, dA changed, A changed], where
    "changed" means changed by the learner's code after the forward pass returned (A through the cache).
    """
    A, A_copy, cache, warned_forward, _, Z_in = _forward(namespace, name, Z)
    Z_seen = Z_in.copy()  # as the forward pass left it (the cache may hold it): later changes are backward's
    dA_in = dA.copy()
    text = f"{name}_backward(<array of shape {dA.shape}>, cache)"
    dZ, warned = _run(namespace, f"{name}_backward", text, dA_in, cache)
    dZ = _array(dZ, f"The dZ that {text} returned").copy()
    again, _ = _run(namespace, f"{name}_backward", text, dA.copy(), cache)
    again = _array(again, f"The dZ that {text} returned the second time")
    pairs = ((Z_seen, Z_in), (dA_in, dA), (A, A_copy))
    changes = [int(not np.array_equal(a, b, equal_nan=True)) for a, b in pairs]
    return [dZ, again.copy(), warned_forward, warned, *changes]


def _register(name):
    """Programs `<name>_forward_A(Z)` and `<name>_forward_backward(Z, dA)` (arguments are arrays only)."""

    def forward_only(namespace, Z):
        return _forward_only(namespace, name, Z)

    def forward_backward(namespace, Z, dA):
        return _forward_backward(namespace, name, Z, dA)

    forward_only.__name__ = f"{name}_forward_A"
    forward_backward.__name__ = f"{name}_forward_backward"
    program(forward_only)
    program(forward_backward)


for _name in ACTIVATIONS:
    _register(_name)
