def chain_diff(outer, inner, x):
    """Return the derivative of outer(inner(x)) at x, as the product of the two local derivatives."""
    return diff(outer, x) * diff(inner, x)
