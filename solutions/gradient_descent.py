"""Lesson 5: gradient descent on a straight line."""

import numpy as np

from solutions.partial_derivatives import diffp  # noqa: F401 - given to learners in this lesson


def error(m, c, X, y):
    """Return the sum of squared residuals of the line y = m*x + c over the points (X, y), as a float.

    X and y hold n points each, shaped (n,) or (n, 1).
    """
    # Flatten both: (n, 1) - (n,) would broadcast to an (n, n) matrix and give a much larger sum.
    residual = m * np.ravel(X) + c - np.ravel(y)
    return float(np.sum(residual * residual))


def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    """Fit y = m*x + c to (X, y) by `epochs` steps of gradient descent on `error`; return (m, c) as floats.

    Starts from the given m and c, and updates both at once from the gradient at the old values.
    """
    # About six to eight lines: each step needs both partial derivatives at the old (m, c).
    x = np.ravel(X)
    target = np.ravel(y)
    # The exact gradient: with r = m*x + c - y, dE/dm = sum(2 r x) and dE/dc = sum(2 r).
    for _ in range(epochs):
        residual = m * x + c - target
        dE_dm = float(np.sum(2 * residual * x))
        dE_dc = float(np.sum(2 * residual))
        m, c = m - learning_rate * dE_dm, c - learning_rate * dE_dc
    return float(m), float(c)
