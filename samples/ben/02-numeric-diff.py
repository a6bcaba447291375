def diff(fn, x, delta=1e-12):
    """Return an estimate of the derivative fn'(x), as a float, using a step of size `delta`."""
    return (fn(x + delta) - fn(x)) / delta
