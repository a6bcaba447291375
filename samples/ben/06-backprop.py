def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    """Train the network on (X, y) with backpropagation; return the final (w11, w12, w21, w22)."""
    for _ in range(epochs):
        for x, yy in zip(X.ravel(), y.ravel()):
            h = w11 * x + w12
            o = w21 * h + w22
            dE_do = 2 * (o - yy)
            w21 = w21 - learning_rate * dE_do * h
            w22 = w22 - learning_rate * dE_do
            dE_dh = dE_do * w21
            w11 = w11 - learning_rate * dE_dh * x
            w12 = w12 - learning_rate * dE_dh
    return float(w11), float(w12), float(w21), float(w22)
