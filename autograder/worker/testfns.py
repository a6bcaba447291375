"""Named test functions that checks pass to learner code (`fn` in diffp, `outer`/`inner` in chain_diff).

They are referred to by name, so a check can run in one process and the learner's code in another.
Nothing here is secret: these are inputs, not answers.
"""

import math

import numpy as np


def sq(x):
    return x * x


def cube(x):
    return x * x * x


def sin(x):
    return math.sin(x)


def exp(x):
    return math.exp(x)


def quartic(x):
    return 0.5 * x**4 - 2.0 * x**3 + x - 3.0


def big_line(x):
    """A straight line far from zero: any step is exact up to round-off, so round-off shows alone."""
    return 3.0 * x + 1e4


def line_y(m, c, x):
    return m * x + c


def five_x1_plus_x2_squared(x1, x2):
    return 5.0 * x1 + x2 * x2


def mixed3(a, b, c):
    """Partials differ in every argument: a*b**2 + sin(c)*a + c**3."""
    return a * b * b + math.sin(c) * a + c**3


def sum_squared_error(m, c, X, y):
    """The line's sum of squared errors; X and y are arrays, m and c may be floats or size-1 arrays."""
    residual = m * np.ravel(X) + c - np.ravel(y)
    return float(np.sum(residual * residual))


LIBRARY = {
    f.__name__: f
    for f in (
        sq,
        cube,
        sin,
        exp,
        quartic,
        big_line,
        line_y,
        five_x1_plus_x2_squared,
        mixed3,
        sum_squared_error,
    )
}
