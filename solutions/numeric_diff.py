"""Lesson 2: numeric differentiation."""


def diff(fn, x, delta=1e-6):
    """Return an estimate of the derivative fn'(x), as a float, using a step of size `delta`."""
    # About three lines: see "A sound default" in lesson 2, section 4.
    x_plus = x + delta
    x_minus = x - delta
    # A central difference: its truncation error is of order delta**2, so delta = 1e-6 balances it against
    # round-off. Dividing by the step actually taken, (x + delta) - (x - delta), not by 2 * delta, cancels
    # the error made when x + delta and x - delta were rounded.
    return float((fn(x_plus) - fn(x_minus)) / (x_plus - x_minus))
