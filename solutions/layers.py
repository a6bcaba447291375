"""Lesson 7: many neurons at once. A dense layer, its backward pass, a mean squared error, and the
numerical gradient that checks them.

Shapes: X is (N, D), one sample per row; W is (D, M); b is (M,). Every function returns numpy float
arrays or plain floats, and leaves its inputs as they were.
"""

import numpy as np


def dense_forward(X, W, b):
    """Return (out, cache): out = X @ W + b, shape (N, M), and what dense_backward will need."""
    # One line for out; b, shape (M,), is added to every row. Keep the inputs in the cache.
    out = X @ W + b
    cache = (X, W)
    return out, cache


def dense_backward(dout, cache):
    """Return (dX, dW, db), the loss's gradients with respect to X, W and b, shaped like X, W and b.

    dout, shape (N, M), is the loss's gradient with respect to out; cache is what dense_forward returned.
    """
    # Three lines. Let the shapes tell you the order of each product: dW must come out (D, M), like W.
    X, W = cache
    dX = dout @ W.T  # (N, M) @ (M, D) -> (N, D)
    dW = X.T @ dout  # (D, N) @ (N, M) -> (D, M)
    db = np.sum(dout, axis=0)  # every sample adds to the same bias: (N, M) -> (M,)
    return dX, dW, db


def mse_loss(pred, Y):
    """Return (loss, dpred): loss = np.sum((pred - Y) ** 2) / N as a float, dpred its gradient (like pred).

    N = pred.shape[0], the number of samples.
    """
    N = pred.shape[0]
    diff = pred - Y
    loss = float(np.sum(diff**2) / N)
    dpred = 2 * diff / N
    return loss, dpred


def numerical_gradient(f, A, h=1e-5):
    """Return the central-difference estimate of the gradient of the scalar f(A), shaped like A.

    Each element of A is nudged by +h and -h in turn, and put back afterwards: A holds its original
    values when this returns.
    """
    # About eight lines: a loop over every index of A (np.ndindex(A.shape) gives them all, for any shape).
    # Save each element before you nudge it, and assign the saved value back afterwards.
    grad = np.zeros(A.shape)
    for index in np.ndindex(A.shape):
        old = A[index]
        A[index] = old + h
        f_plus = f(A)
        A[index] = old - h
        f_minus = f(A)
        A[index] = old  # assign it back: old + h - h need not be exactly old in floating point
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b):
    """The largest elementwise relative error |a - b| / max(1e-8, |a| + |b|) (CS231n's gradient check)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
