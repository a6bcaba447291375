def train_network(X, labels, params, learning_rate=0.1, epochs=10, batch_size=32, seed=0):
    """Mini-batch gradient descent on softmax_cross_entropy; return the trained params."""
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    for _ in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start : start + batch_size]
            scores, caches = forward_network(params, X[batch])
            _, dscores = softmax_cross_entropy(scores, labels[batch])
            grads = backward_network(dscores, caches)
            for (W, b), (dW, db) in zip(params, grads):
                W -= learning_rate * dW
                b -= learning_rate * db
    return params
