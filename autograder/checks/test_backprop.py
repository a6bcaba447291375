"""Hidden checks for lesson 6: the two-neuron network, trained numerically and by backpropagation.

The network functions are exact arithmetic (relative 1e-9). Training is compared after one and two epochs
with weights that are all different and inputs that are not 1, so every partial derivative differs and a
missing chain-rule factor, a stale weight or a sequential update shows. Full runs are judged by the
effective line (slope w21*w11, intercept w21*w12 + w22), the only thing the data determine.
"""

from functools import cache

import numpy as np

from solutions import backprop as ref

from ..learner import describe_call
from . import Fail, check
from .compare import expect_close, number, numbers

LESSON = "06-backprop"
# Measured (tests/test_catalogue.py): correct styles deviate at most 2.5e-6 from the reference, the
# catalogued mistakes at least 5.5e-4, so 5e-5 sits well inside both margins.
RTOL = 5e-5
START = dict(w11=0.3, w12=-0.2, w21=0.8, w22=0.1)


@cache
def data(n=20, seed=606):
    """Hidden data: the lesson's recipe with another seed and size."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, 1))
    y = 4 + 3 * X + 0.3 * rng.standard_normal((n, 1))
    return X, y


def effective_line(w11, w12, w21, w22):
    return [w21 * w11, w21 * w12 + w22]


def train(learner, function, *args, **kwargs):
    """Call a training function; return its 4 weights, after checking it left X and y alone."""
    call = describe_call(function, args, kwargs)
    result = learner.outcome(function, *args, **kwargs)
    if result.mutated:
        raise Fail(f"{call} changed the caller's X or y; work on copies or new arrays.")
    if result.error is not None:
        raise Fail(f"{call} raised {result.error}")
    return call, numbers(result.value, 4, call)


def expect_weights(learner, function, *args, **kwargs):
    call, got = train(learner, function, *args, **kwargs)
    want = getattr(ref, function)(*args, **kwargs)
    expect_close(got, want, f"{call} (w11, w12, w21, w22)", rtol=RTOL, atol=1e-9)


def expect_line(learner, function, *args, **kwargs):
    call, got = train(learner, function, *args, **kwargs)
    want = getattr(ref, function)(*args, **kwargs)
    expect_close(effective_line(*got), effective_line(*want), f"{call}: the learned line", rtol=RTOL)


@check("neuron", points=1)
def test_neuron(learner):
    """neuron computes weight * input + bias"""
    for w1, w2, x in ((0.5, 0.5, 1.0), (2.0, -1.5, 3.0), (-0.7, 0.2, -4.0)):
        call = f"neuron({w1}, {w2}, {x})"
        expect_close(number(learner.neuron(w1, w2, x), call), ref.neuron(w1, w2, x), call, rtol=1e-9)


@check("forward_nn", points=1)
def test_forward_nn(learner):
    """forward_nn feeds the first neuron's output into the second"""
    for weights, x in (((0.3, -0.2, 0.8, 0.1), 2.0), ((1.5, 0.5, -2.0, 3.0), -0.6)):
        call = f"forward_nn{(*weights, x)}"
        expect_close(
            number(learner.forward_nn(*weights, x), call), ref.forward_nn(*weights, x), call, rtol=1e-9
        )


@check("error_nn", points=1)
def test_error_nn(learner):
    """error_nn is the squared difference between the network's output and the target"""
    for weights, x, yy in (((0.3, -0.2, 0.8, 0.1), 2.0, 7.5), ((1.5, 0.5, -2.0, 3.0), -0.6, -1.0)):
        call = f"error_nn{(*weights, x, yy)}"
        expect_close(
            number(learner.error_nn(*weights, x, yy), call), ref.error_nn(*weights, x, yy), call, rtol=1e-9
        )


@check("train_numeric", points=1)
def test_train_numeric_one_epoch(learner):
    """train_numeric with epochs=1 makes one pass of per-sample updates"""
    X, y = data()
    expect_weights(learner, "train_numeric", X, y, **START, learning_rate=0.01, epochs=1)


@check("train_numeric", points=1)
def test_train_numeric_two_epochs(learner):
    """train_numeric with epochs=2 makes two passes, from the weights and rate it is given"""
    X, y = data()
    expect_weights(learner, "train_numeric", X, y, 0.9, 0.4, -0.5, 1.2, 0.02, 2)


@check("train_numeric", points=1)
def test_train_numeric_defaults(learner):
    """train_numeric with its default arguments learns the data's line"""
    X, y = data()
    expect_line(learner, "train_numeric", X, y)


@check("train_numeric", points=1)
def test_train_numeric_arguments(learner):
    """train_numeric uses the learning rate, epochs and initial weights it is given"""
    X, y = data(n=15, seed=616)
    expect_line(learner, "train_numeric", X, y, 0.2, 0.6, 0.4, -0.3, learning_rate=0.004, epochs=23)


@check("train_backprop", points=1)
def test_train_backprop_one_epoch(learner):
    """train_backprop with epochs=1 makes one pass of per-sample updates"""
    X, y = data()
    expect_weights(learner, "train_backprop", X, y, **START, learning_rate=0.05, epochs=1)


@check("train_backprop", points=1)
def test_train_backprop_two_epochs(learner):
    """train_backprop with epochs=2 makes two passes, from the weights and rate it is given"""
    X, y = data()
    expect_weights(learner, "train_backprop", X, y, 0.9, 0.4, -0.5, 1.2, 0.03, 2)


@check("train_backprop", points=1)
def test_train_backprop_defaults(learner):
    """train_backprop with its default arguments learns the data's line"""
    X, y = data()
    expect_line(learner, "train_backprop", X, y)


@check("train_backprop", points=1)
def test_train_backprop_arguments(learner):
    """train_backprop uses the learning rate, epochs and initial weights it is given"""
    X, y = data(n=15, seed=616)
    expect_line(learner, "train_backprop", X, y, 0.2, 0.6, 0.4, -0.3, learning_rate=0.02, epochs=17)
