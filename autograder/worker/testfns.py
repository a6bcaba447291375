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


# --- functions whose coefficients a check chooses (TestFn(name, *coefficients)) -----------------------------
# A numeric derivative works for any fn; a table of exact derivatives for functions it recognises does not.
# These take their coefficients first, so the function a learner's code receives is not known in advance.


def mystery(a, b, c, x):
    return a * math.sin(b * x) + c * x**3


def mystery3(a, b, c, x1, x2, x3):
    return a * x1 * x2 * x2 + b * math.cos(x3) * x1 + c * x2 * x3


def error_of_line(X, y, m, c):
    """sum_squared_error with the data first: m and c sit at idx 2 and 3, where nudging the first argument
    and nudging the one before idx give different answers."""
    return sum_squared_error(m, c, X, y)


LIBRARY.update({f.__name__: f for f in (mystery, mystery3, error_of_line)})


# --- lesson 7: scalar functions of a whole array, for numerical_gradient (TestFn(name, *coefficients)) ------


def array_mystery(a, b, c, A):
    """a * sum(sin(b * A)) + c * sum(A ** 3) + sum(A * roll(A, 1)): every element's partial differs, and
    depends on its neighbour, so a nudge left in place shows in the partials taken after it."""
    flat = np.ravel(np.asarray(A, dtype=float))
    return float(a * np.sum(np.sin(b * flat)) + c * np.sum(flat**3) + np.sum(flat * np.roll(flat, 1)))


def array_cubic(c, A):
    """c * sum(A ** 3): a central difference with step h is off by exactly c * h**2 per element."""
    return float(c * np.sum(np.asarray(A, dtype=float) ** 3))


LIBRARY.update({f.__name__: f for f in (array_mystery, array_cubic)})
