def grad_fit(X, y, m=0.0, c=0.0, learning_rate=0.001, epochs=100):
    """Fit y = m*x + c to (X, y) by `epochs` steps of gradient descent on `error`; return (m, c)."""
    for _ in range(epochs):
        m = m - learning_rate * diffp(error, 0, m, c, X, y)
        c = c - learning_rate * diffp(error, 1, m, c, X, y)
    return m, c
