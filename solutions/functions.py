"""Lesson 1: Python functions."""


def sq(x):
    """Return x squared."""
    return x * x


def add(a, b):
    """Return the sum of two values."""
    return a + b


def total(*args):
    """Return the sum of any number of values.

    Named `total`, not `sum`: defining `sum` would hide Python's built-in `sum` for the rest of the notebook.
    """
    result = 0
    for value in args:
        result = result + value
    return result


def apply_transformation(f, arr):
    """Return a new list holding f(a) for every a in arr, in order."""
    return [f(a) for a in arr]
