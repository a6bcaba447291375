"""Lesson 9: a network of many layers, trained with mini-batches on real data."""

import numpy as np

from solutions.activations import relu_backward, relu_forward
from solutions.layers import dense_backward, dense_forward, numerical_gradient, rel_error  # noqa: F401


def init_network(sizes, seed=0):
    """Return a list of (W, b), one per layer, for layer widths `sizes` (e.g. [64, 32, 10]).

    W of shape (d_in, d_out) is standard normal times sqrt(2 / d_in), drawn in layer order from one
    generator np.random.default_rng(seed); b is zeros of shape (d_out,).
    """
    # One generator for all layers, created once. About five lines.
    rng = np.random.default_rng(seed)
    params = []
    for d_in, d_out in zip(sizes[:-1], sizes[1:]):
        W = rng.standard_normal((d_in, d_out)) * np.sqrt(2 / d_in)
        b = np.zeros(d_out)
        params.append((W, b))
    return params


def forward_network(params, X):
    """Run X through every layer; return (scores, caches).

    Each hidden layer is dense_forward then relu_forward; the last layer is dense_forward only, so the
    scores can be any real numbers. `caches` holds what backward_network needs, one entry per layer.
    """
    # Keep both caches of a hidden layer (dense and relu); the last layer has no relu cache.
    out = X
    caches = []
    last = len(params) - 1
    for i, (W, b) in enumerate(params):
        out, dense_cache = dense_forward(out, W, b)
        relu_cache = None
        if i < last:
            out, relu_cache = relu_forward(out)
        caches.append((dense_cache, relu_cache))
    return out, caches


def backward_network(dscores, caches):
    """Return [(dW, db), ...] for every layer, in the order of `params`, from the gradient of the loss
    with respect to the scores."""
    # Walk the layers backwards, undoing forward_network's steps in reverse order.
    grads = []
    dout = dscores
    for dense_cache, relu_cache in reversed(caches):
        if relu_cache is not None:
            dout = relu_backward(dout, relu_cache)
        dout, dW, db = dense_backward(dout, dense_cache)
        grads.append((dW, db))
    grads.reverse()
    return grads


def softmax_cross_entropy(scores, labels):
    """Return (loss, dscores): the mean cross-entropy of softmax(scores) for integer `labels`, and its
    gradient with respect to `scores`. Stable for large scores.
    """
    # Subtracting each row's largest score changes no probability, and keeps exp() from overflowing.
    N = scores.shape[0]
    rows = np.arange(N)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.mean(log_probs[rows, labels])
    # d loss / d scores = (softmax - one_hot(labels)) / N: the -1 at each sample's true class, the mean's 1/N.
    dscores = np.exp(log_probs)
    dscores[rows, labels] -= 1.0
    dscores /= N
    return float(loss), dscores


def train_network(X, labels, params, learning_rate=0.1, epochs=10, batch_size=32, seed=0):
    """Mini-batch gradient descent on softmax_cross_entropy; return new params (the caller's stay as
    they were).

    One generator np.random.default_rng(seed), created once; each epoch orders the samples by
    rng.permutation(N) and takes consecutive batches of `batch_size` (the last one may be smaller).
    """
    # Build new (W, b) pairs at every step: `W -= ...` would change the caller's arrays.
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    for _ in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start : start + batch_size]
            scores, caches = forward_network(params, X[batch])
            _, dscores = softmax_cross_entropy(scores, labels[batch])
            grads = backward_network(dscores, caches)  # already a mean: dscores holds the 1/N
            params = [
                (W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(params, grads)
            ]
    return params
