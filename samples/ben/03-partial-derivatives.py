def diffp(fn, idx, *args, delta=1e-6):
    """Return an estimate of the partial derivative of fn(*args) with respect to args[idx], as a float."""
    y = fn(*args)
    args = list(args)
    args[idx] += delta
    return (fn(*args) - y) / delta
