"""Lesson 4: the chain rule."""

from solutions.numeric_diff import diff


def chain_diff(outer, inner, x):
    """Return the derivative of outer(inner(x)) at x, as the product of the two local derivatives."""
    # d/dx outer(inner(x)) = outer'(t) * inner'(x), with t = inner(x).
    t = inner(x)
    return float(diff(outer, t) * diff(inner, x))
