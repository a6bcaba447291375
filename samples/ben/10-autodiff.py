def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    """Train lesson 6's network with gradients from Value.backward(); return (w11, w12, w21, w22) as floats."""
    params = [Value(w11), Value(w12), Value(w21), Value(w22)]
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            error = error_nn(*params, float(x), float(yy))
            error.backward()
            for p in params:
                p.data = p.data - learning_rate * p.grad
    return tuple(p.data for p in params)
