"""Lesson 8: activation functions, each a forward pass that keeps a cache and a backward pass that uses it.

Every forward returns (A, cache) and every backward takes (dA, cache) and returns dZ = dA * f'(Z), the
upstream gradient times the local derivative, elementwise. Nothing changes its inputs.
"""

import numpy as np

from solutions.layers import dense_backward, dense_forward, mse_loss  # noqa: F401 - given in this lesson


def sigmoid_forward(Z):
    """Return (A, cache): A = 1 / (1 + exp(-Z)) elementwise, and what sigmoid_backward needs.

    Must not overflow (no warning) for any Z, however large or negative.
    """
    # np.exp(-Z) overflows for Z below about -709; exp of a number that is <= 0 never does.
    # About three lines. What does sigmoid_backward need from the forward pass?
    E = np.exp(-np.abs(Z))  # in (0, 1], whatever the sign of Z
    A = np.where(Z >= 0, 1 / (1 + E), E / (1 + E))  # E / (1 + E) = 1 / (1 + exp(-Z)) when Z < 0
    return A, A  # the cache is the output: the derivative is A * (1 - A)


def sigmoid_backward(dA, cache):
    """Return dZ = dA * sigmoid'(Z), elementwise, from the cache sigmoid_forward returned."""
    # One line: sigmoid'(Z) = A * (1 - A), where A is the sigmoid's output.
    A = cache
    return dA * A * (1 - A)


def tanh_forward(Z):
    """Return (A, cache): A = tanh(Z) elementwise, and what tanh_backward needs."""
    # Two lines. np.tanh never overflows; which value will tanh_backward want?
    A = np.tanh(Z)
    return A, A  # the derivative 1 - tanh(Z)**2 needs only the output


def tanh_backward(dA, cache):
    """Return dZ = dA * tanh'(Z), elementwise, from the cache tanh_forward returned."""
    # One line. Write tanh'(Z) in terms of A = tanh(Z).
    A = cache
    return dA * (1 - A * A)


def relu_forward(Z):
    """Return (A, cache): A = max(Z, 0) elementwise, and what relu_backward needs."""
    # One line. Of np.max and np.maximum, which one compares element by element?
    return np.maximum(Z, 0.0), Z  # np.maximum is elementwise; np.max(Z, 0) would reduce along axis 0


def relu_backward(dA, cache):
    """Return dZ = dA where Z > 0 and 0 where Z <= 0 (ReLU's derivative at 0 is taken to be 0)."""
    # One line: multiply by a mask of where Z was positive.
    Z = cache
    return dA * (Z > 0)
