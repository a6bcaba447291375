"""Lesson 10: a tiny automatic differentiation engine, and lesson 6's network trained with it.

The network functions and lesson 2's `diff` are imported, not copied, so the lesson's given cells show the
very code the learner wrote before: `error_nn` works on `Value`s unchanged, which is the lesson's point.
`train_backprop` is deliberately not imported: the lesson's namespace must not offer it as a shortcut.
"""

import math

import numpy as np

from solutions.backprop import error_nn, forward_nn, neuron
from solutions.numeric_diff import diff

__all__ = ["Value", "diff", "error_nn", "forward_nn", "neuron", "train_autodiff"]


class Value:
    """A number that remembers how it was made, so that backward() can apply the chain rule through it."""

    def __init__(self, data, _children=(), _op=""):
        """Given: a Value keeps its number, its grad, the Values it was made from, and how to pass its grad
        back to them (`_backward`, which does nothing for a Value made directly from a number)."""
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        self._backward = lambda: None

    def __repr__(self):
        """Given: how a Value prints."""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        """Given, as the worked example: a plain number becomes a Value first; the result remembers both
        inputs, and its _backward adds the upstream grad times each local derivative (here 1) to each
        input's grad, with += (a Value used twice must get both contributions)."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        # As __add__, with the local derivatives of a product: d(ab)/da = b and d(ab)/db = a.
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        # k is a plain int or float constant: d(a**k)/da = k * a**(k - 1).
        assert isinstance(k, int | float), "only a constant power is supported"
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def __neg__(self):
        # One line, from an operation you already have.
        return self * -1.0

    def __sub__(self, other):
        # One line: a - b is a + (-b).
        return self + (-other)

    def __truediv__(self, other):
        # One line: a / b is a * b**-1.
        return self * other**-1

    def __radd__(self, other):
        # `2 + a`: Python finds no way to add a Value to an int, so it calls a.__radd__(2). One line.
        return self + other

    def __rsub__(self, other):
        # `2 - a` calls a.__rsub__(2): mind the order. One line.
        return (-self) + other

    def __rmul__(self, other):
        # `2 * a` calls a.__rmul__(2). One line.
        return self * other

    def __rtruediv__(self, other):
        # `2 / a` calls a.__rtruediv__(2). One line.
        return self**-1 * other

    def tanh(self):
        # d tanh(a)/da = 1 - tanh(a)**2: use the output t you already computed.
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1.0 - t * t) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        # max(0, a): the local derivative is 1 where a > 0, else 0.
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():
            self.grad += (1.0 if out.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        # d exp(a)/da = exp(a): the output again.
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def backward(self):
        """Fill .grad of this Value and of every Value it depends on, by the chain rule."""
        # 1. Order the nodes so that each comes after every node it was made from: a depth-first walk that
        #    appends a node after all its children, visiting each node once.
        # 2. Set this node's grad to 1.0 (dE/dE), then call each node's _backward in reverse order.
        # About ten lines.
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def train_autodiff(X, y, w11=0.5, w12=0.5, w21=0.5, w22=0.5, learning_rate=0.01, epochs=50):
    """Train lesson 6's network with gradients from Value.backward(); return (w11, w12, w21, w22) as floats.

    Same loop as train_backprop: each epoch visits the samples in order, and after each sample all four
    weights move at once against the gradient of error_nn.
    """
    # For each sample: wrap the four weights in fresh Values, build the error with error_nn, call
    # backward(), then update every weight from its .grad. About eight lines.
    weights = [float(w11), float(w12), float(w21), float(w22)]
    for _ in range(epochs):
        for x, yy in zip(np.ravel(X), np.ravel(y)):
            params = [Value(w) for w in weights]  # fresh Values: every grad starts at 0.0
            error_nn(*params, float(x), float(yy)).backward()
            weights = [p.data - learning_rate * p.grad for p in params]
    return tuple(weights)
