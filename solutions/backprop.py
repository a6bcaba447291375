"""Lesson 6: a two-neuron network trained with numeric gradients, then with backpropagation."""

import numpy as np

from solutions.partial_derivatives import diffp


def neuron(w1, w2, x):
    """Return the output of a linear neuron: weight w1 times input x, plus bias w2."""
    return w1 * x + w2


def forward_nn(w11, w12, w21, w22, x):
    """Return the output of two neurons in a chain: h = neuron(w11, w12, x), then neuron(w21, w22, h)."""
    h = neuron(w11, w12, x)
    return neuron(w21, w22, h)


def error_nn(w11, w12, w21, w22, x, yy):
    """Return the squared error of the network's output for one sample (x, yy)."""
    e = forward_nn(w11, w12, w21, w22, x) - yy
    return e * e


def train_numeric(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.001, epochs=100):
    """Train the network on (X, y); return the final (w11, w12, w21, w22) as floats.

    Each epoch visits the samples in order; after each sample, all four weights move at once against
    numeric partial derivatives of error_nn.
    """
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            x, yy = float(x), float(yy)  # a (1,) array here would turn the weights into arrays
            weights = (w11, w12, w21, w22)
            grads = [diffp(error_nn, i, *weights, x, yy) for i in range(4)]
            w11, w12, w21, w22 = (w - learning_rate * g for w, g in zip(weights, grads))
    return float(w11), float(w12), float(w21), float(w22)


def train_backprop(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    """Train the network on (X, y) with backpropagation; return the final (w11, w12, w21, w22) as floats.

    Each epoch visits the samples in order; after each sample, all four weights move at once against
    the gradient of error_nn found with the chain rule.
    """
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            x, yy = float(x), float(yy)
            # Forward pass, keeping the intermediate h.
            h = neuron(w11, w12, x)
            o = neuron(w21, w22, h)
            # Backward pass: upstream derivative times local derivative, all at the old weights.
            dE_do = 2 * (o - yy)
            dE_dw21 = dE_do * h
            dE_dw22 = dE_do
            dE_dh = dE_do * w21
            dE_dw11 = dE_dh * x
            dE_dw12 = dE_dh
            # Update all four together, only after every derivative is known.
            w11 = w11 - learning_rate * dE_dw11
            w12 = w12 - learning_rate * dE_dw12
            w21 = w21 - learning_rate * dE_dw21
            w22 = w22 - learning_rate * dE_dw22
    return float(w11), float(w12), float(w21), float(w22)
