def relu_backward(dA, cache):
    """Return dZ = dA where Z > 0 and 0 where Z <= 0 (ReLU's derivative at 0 is taken to be 0)."""
    return dA * (dA > 0)
