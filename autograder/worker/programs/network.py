"""Lesson 9's check programs: forward then backward on the learner's own caches, and calls that need
integer labels or a look at the caller's parameters afterwards.

Arrays reach the worker as float arrays, so labels are turned back into integers here: that is plumbing,
not an answer. Every program returns plain data only (floats, float arrays, lists of them).
"""

import copy

import numpy as np

from . import ProgramError, call, program


def _pair(value, call_text, what):
    """`value` as a 2-item (first, second) pair, or a ProgramError saying what came back."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        kind = f"{len(value)} items" if isinstance(value, tuple | list) else type(value).__name__
        raise ProgramError(f"{call_text} returned {kind[:60]}; it should return a pair {what}.")
    return value


def _labels(labels):
    return np.asarray(labels).astype(np.int64)


@program
def network_scores(namespace, params, X):
    """forward_network(params, X)'s scores (its caches stay here)."""
    text = "forward_network(params, X)"
    scores, _ = _pair(call(namespace, "forward_network", params, X, text=text), text, "(scores, caches)")
    return scores


@program
def network_grads(namespace, params, X, dscores):
    """backward_network(dscores, caches) on the caches of forward_network(params, X)."""
    text = "forward_network(params, X)"
    _, caches = _pair(call(namespace, "forward_network", params, X, text=text), text, "(scores, caches)")
    grads = call(namespace, "backward_network", dscores, caches, text="backward_network(dscores, caches)")
    if not isinstance(grads, tuple | list):
        kind = type(grads).__name__[:60]
        raise ProgramError(
            f"backward_network(dscores, caches) returned a {kind}; it should return a list of (dW, db), "
            "one per layer."
        )
    return list(grads)


@program
def softmax_loss(namespace, scores, labels):
    """softmax_cross_entropy(scores, labels) with integer labels: [loss, dscores]."""
    text = "softmax_cross_entropy(scores, labels)"
    loss, dscores = _pair(
        call(namespace, "softmax_cross_entropy", scores, _labels(labels), text=text), text, "(loss, dscores)"
    )
    return [loss, dscores]


@program
def train(namespace, X, labels, params, *args, **kwargs):
    """train_network(X, labels, params, ...) with integer labels: [new params, whether any of the
    caller's parameter arrays changed]."""
    before = copy.deepcopy(params)
    text = "train_network(X, labels, params, ...)"
    new = call(namespace, "train_network", X, _labels(labels), params, *args, text=text, **kwargs)
    changed = any(
        not (np.shape(a) == np.shape(b) and np.array_equal(a, b, equal_nan=True))
        for old, now in zip(before, params)
        for a, b in zip(old, now)
    )
    return [new, changed]
