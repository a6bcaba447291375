"""Check programs for lesson 7: a dense layer's forward pass, its backward pass on the learner's own cache,
and numerical_gradient with the state of A afterwards.

The cache is the learner's object, so forward and backward run here, beside the learner's code, and only
the arrays they produce go back to the grader. These programs hold no answers: they call, unpack and say
in the learner's terms when a return value cannot be used.
"""

import numpy as np

from . import ProgramError, call, kind, program


def shown(value):
    """An argument as a call text shows it."""
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    return getattr(value, "name", None) or repr(value)


def describe(name, args):
    return f"{name}({', '.join(shown(a) for a in args)})"


def array(value, what):
    """`value` as a numeric numpy array (a single number counts, as a 0-d array), else a ProgramError
    saying what came back."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_):
        return np.asarray(float(value))
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise ProgramError(f"{what} is {kind(value)}; it should be a numpy array of numbers.")
    return value


IN_PLACE = (
    "{text} changed {names} in place.\nLikely mistake: an in-place operation (`+=`, `*=`, `a[...] = v`) "
    "wrote into the caller's array: compute new arrays instead (`a = a + b`), and leave the inputs as they "
    "were."
)


OUT_ALONE = (
    "dense_forward returns out alone: return the pair (out, cache), with the cache holding what "
    "dense_backward will need (X and W)."
)
SWAPPED = "the pair is the wrong way round: return (out, cache), out first."


def untouched(text, originals, arrays):
    """A ProgramError naming the arrays that the learner's call changed in place, if any."""
    changed = [
        name
        for name, array in arrays.items()
        if not (originals[name].shape == np.shape(array) and np.array_equal(originals[name], array))
    ]
    if changed:
        raise ProgramError(IN_PLACE.format(text=text, names=" and ".join(changed)))


def forward(namespace, X, W, b):
    """dense_forward on copies of X, W and b (so a change to them is reported here, in the learner's
    terms); returns (call text, out, cache, the copies)."""
    text = describe("dense_forward", (X, W, b))
    passed = {"X": X.copy(), "W": W.copy(), "b": b.copy()}
    result = call(namespace, "dense_forward", *passed.values(), text=text)
    untouched(text, {"X": X, "W": W, "b": b}, passed)
    if isinstance(result, np.ndarray):
        raise ProgramError(f"{text} returned {kind(result)}.\nLikely mistake: {OUT_ALONE}")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ProgramError(f"{text} returned {kind(result)}; it should return a pair (out, cache).")
    if isinstance(result[1], np.ndarray) and not isinstance(result[0], np.ndarray):
        raise ProgramError(
            f"{text} returned ({kind(result[0])}, {kind(result[1])}).\nLikely mistake: {SWAPPED}"
        )
    return text, array(result[0], f"The out that {text} returned"), result[1], passed


@program
def dense_forward_out(namespace, X, W, b):
    """dense_forward's out (the cache stays here)."""
    return forward(namespace, X, W, b)[1]


@program
def dense_forward_backward(namespace, X, W, b, dout):
    """[dX, dW, db] from dense_backward(dout, cache), with the cache from the learner's dense_forward."""
    _, _, cache, passed = forward(namespace, X, W, b)
    text = f"dense_backward(<array of shape {dout.shape}>, cache)"
    passed["dout"] = dout.copy()
    grads = call(namespace, "dense_backward", passed["dout"], cache, text=text)
    untouched(text, {"X": X, "W": W, "b": b, "dout": dout}, passed)
    if not isinstance(grads, tuple | list) or len(grads) != 3:
        raise ProgramError(f"{text} returned {kind(grads)}; it should return a tuple (dX, dW, db).")
    return [array(g, f"The {n} that {text} returned") for n, g in zip(("dX", "dW", "db"), grads)]


@program
def numerical_gradient_and_after(namespace, f, A, *h):
    """[the gradient, A as it was left]: numerical_gradient works on a copy, so the grader sees what
    happened to it."""
    copy = np.array(A, dtype=float)
    text = describe("numerical_gradient", (f, A, *h))
    grad = array(call(namespace, "numerical_gradient", f, copy, *h, text=text), f"What {text} returned")
    return [grad, copy]
