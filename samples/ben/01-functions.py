def total(*args):
    """Return the sum of any number of values."""
    result = args[0]
    for value in args[1:]:
        result = result + value
    return result
