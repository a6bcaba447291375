def dense_backward(dout, cache):
    """Return (dX, dW, db), the loss's gradients with respect to X, W and b, shaped like X, W and b."""
    X, W = cache
    dX = dout @ W.T
    dW = dout.T @ X
    db = dout.sum(axis=0)
    return dX, dW, db
