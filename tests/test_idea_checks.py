"""A grade certifies the idea: the traced calls behind the chain-rule and backpropagation checks.

The catalogue (tests/catalogue.py) proves the verdicts end to end; these tests pin the pieces: what the
tracer records, that its decoder refuses forged shapes, that the judges see the shortcuts and not the
seed's own backward pass, and that the probes keep every catalogued mistake apart.
"""

import math
import types

import pytest

from autograder.checks import Fail
from autograder.checks import test_backprop as backprop
from autograder.checks import test_chain_rule as chain
from autograder.learner import Learner, LocalBackend
from autograder.sandbox import SessionDead, Worker
from autograder.worker.plain import TestFn
from autograder.worker.trace import decode_trace

LOCAL_DERIVATIVES = """
def diff(fn, x, delta=1e-6):
    return (fn(x + delta) - fn(x - delta)) / (2 * delta)

def chain_diff(outer, inner, x):
    return diff(outer, inner(x)) * diff(inner, x)

def composite(outer, inner, x):
    return diff(lambda v: outer(inner(v)), x)
"""


def learner_from(source):
    module = types.ModuleType("__main__")
    exec(compile(source, "<cell 1>", "exec"), module.__dict__)  # noqa: S102 - trusted test code
    return Learner(LocalBackend(module.__dict__))


def test_tracer_records_nested_functions_lambdas_and_test_functions():
    value, calls = learner_from(LOCAL_DERIVATIVES).traced("composite", TestFn("exp"), TestFn("sin"), 0.6)
    names = [name for name, _, _ in calls]
    assert names[:3] == ["composite", "diff", "composite.<locals>.<lambda>"]
    assert names.count("sin") == 2 and names.count("exp") == 2
    assert calls[1][1] == ("fn:composite.<locals>.<lambda>", 0.6, 1e-06)
    assert calls[0][2] == value


def test_untraced_calls_carry_no_trace():
    learner = learner_from(LOCAL_DERIVATIVES)
    assert learner._checked("chain_diff", (TestFn("exp"), TestFn("sin"), 0.6), {}).trace is None


@pytest.mark.parametrize(
    "forged",
    [
        [],
        {"calls": [], "dropped": -1},
        {"calls": [["f", [], None, 1]], "dropped": 0},
        {"calls": [["f", [{"x": 1}], None]], "dropped": 0},
        {"calls": [["f", [], [1.0]]], "dropped": 0},
        {"calls": [[1, [], None]], "dropped": 0},
        {"calls": [["f", [1.0] * 13, None]], "dropped": 0},
    ],
)
def test_decode_trace_refuses_forged_shapes(forged):
    with pytest.raises(ValueError):
        decode_trace(forged)


FORGE = """
import os, stat

def forged(bad):
    calls = "3" if bad else "[]"
    for fd in map(int, os.listdir('/proc/self/fd')):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                trace = '"trace": {"calls": %s, "dropped": 0}}' % calls
                body = b'{"id": 1, "value": 1.0, "error": null, "mutated": [], ' + trace.encode()
                os.write(fd, len(body).to_bytes(4, "big") + body)
                return 1.0
        except OSError:
            pass
"""


def test_traced_call_through_the_worker_and_a_forged_trace_ends_the_session():
    with Worker() as worker:
        with worker.open([LOCAL_DERIVATIVES]) as session:
            outcome = session.call_traced("chain_diff", TestFn("exp"), TestFn("sin"), 0.6)
            assert [c[0] for c in outcome.trace][:2] == ["chain_diff", "sin"]
            assert session.call("chain_diff", TestFn("exp"), TestFn("sin"), 0.6).trace is None
        for bad, traced in ((1, True), (0, False)):  # a malformed trace, or one nobody asked for
            with worker.open([FORGE]) as session:
                with pytest.raises(SessionDead) as dead:
                    session.request("forged", (bad,), {}, trace=traced)
                assert dead.value.reason == "protocol"


def test_chain_judge_sees_the_composite_and_not_the_product():
    learner = learner_from(LOCAL_DERIVATIVES)
    _, product = learner.traced("chain_diff", TestFn("exp"), TestFn("sin"), 0.6)
    _, whole = learner.traced("composite", TestFn("exp"), TestFn("sin"), 0.6)
    assert chain.outer_points(product, "exp", "sin")[1] is False
    assert chain.outer_points(whole, "exp", "sin")[1] is True
    assert chain.outer_points([], "exp", "sin") == ([], False)


def test_chain_probes_keep_every_mistake_apart():
    """On every probe, each catalogued mistake is >1% from the answer and >0.5% from every other mistake."""
    for outer, inner, x in chain.POLYNOMIALS + chain.ORDER + chain.LARGE:
        args = (TestFn(outer), TestFn(inner), x)
        answer = chain.ref.chain_diff(*args)
        wrong = [m.answer(*args) for m in chain.MISTAKES]
        for i, w in enumerate(wrong):
            assert not math.isclose(w, answer, rel_tol=1e-2), (outer, inner, x, chain.MISTAKES[i].hint)
            for v in wrong[i + 1 :]:
                assert not math.isclose(w, v, rel_tol=5e-3), (outer, inner, x)


SEED_BACKWARD = """
def diffp(fn, idx, *args, delta=1e-6):
    plus, minus = list(args), list(args)
    plus[idx] = args[idx] + delta
    minus[idx] = args[idx] - delta
    return (fn(*plus) - fn(*minus)) / (2 * delta)

def neuron(w1, w2, x):
    return w1 * x + w2

def forward_nn(w11, w12, w21, w22, x):
    return neuron(w21, w22, neuron(w11, w12, x))

def error_nn(w11, w12, w21, w22, x, yy):
    return (forward_nn(w11, w12, w21, w22, x) - yy) ** 2

def sq_error(o, yy):
    return (o - yy) ** 2

def seed(X, y, w11, w12, w21, w22, learning_rate, epochs):
    x, yy = float(X[0, 0]), float(y[0, 0])
    h = neuron(w11, w12, x)
    o = neuron(w21, w22, h)
    dE_do = diffp(sq_error, 0, o, yy)
    dE_dh = dE_do * diffp(neuron, 2, w21, w22, h)
    g = (dE_dh * diffp(neuron, 0, w11, w12, x), dE_dh * diffp(neuron, 1, w11, w12, x),
         dE_do * diffp(neuron, 0, w21, w22, h), dE_do * diffp(neuron, 1, w21, w22, h))
    return tuple(w - learning_rate * gk for w, gk in zip((w11, w12, w21, w22), g))

def whole(X, y, w11, w12, w21, w22, learning_rate, epochs):
    x, yy = float(X[0, 0]), float(y[0, 0])
    w = (w11, w12, w21, w22)
    g = [diffp(lambda *v: (v[2] * (v[0] * x + v[1]) + v[3] - yy) ** 2, k, *w) for k in range(4)]
    return tuple(wk - learning_rate * gk for wk, gk in zip(w, g))

def tiny(X, y, w11, w12, w21, w22, learning_rate, epochs):
    x, yy = float(X[0, 0]), float(y[0, 0])
    w = (w11, w12, w21, w22)
    g = [diffp(error_nn, k, *w, x, yy, delta=1e-13) for k in range(4)]
    return tuple(wk - learning_rate * gk for wk, gk in zip(w, g))
"""


def probe(function):
    return backprop.probe_call(learner_from(SEED_BACKWARD), function)[1]


def test_backprop_judge_accepts_the_seeds_backward_pass():
    calls = probe("seed")
    assert len(calls) > 10  # the judge had evidence to look at
    assert backprop.whole_network_reruns(calls) == []


def test_backprop_judge_sees_whole_error_partials_inline_or_named():
    assert backprop.whole_network_reruns(probe("whole")) == ["whole.<locals>.<listcomp>.<lambda>"]
    assert "diffp" in backprop.whole_network_reruns(probe("tiny"))  # error_nn handed to diffp


def test_backprop_nudge_sizes_tell_a_tiny_step():
    assert max(backprop.nudge_sizes(probe("tiny"))) < 1e-9
    assert min(backprop.nudge_sizes(probe("seed"))) > 1e-7


def test_backprop_probe_keeps_local_nudges_apart_from_a_rerun():
    """w21 * x must differ clearly from 1, from h and from w21, or a local nudge could equal a rerun."""
    (x, _), (w11, w12, w21, _) = backprop.PROBE_SAMPLE, backprop.PROBE_WEIGHTS
    h = w11 * x + w12
    for other in (1.0, h, w21, 0.1, 10.0, 0.5, 2.0):
        assert abs(w21 * x - other) > 0.05 * abs(other)


def test_backprop_idea_check_fails_without_a_trace():
    class Silent:
        defined = {"train_backprop"}

        def request(self, name, args, kwargs, trace=False, program=False):
            from autograder.sandbox import Outcome

            return Outcome(value=(0.0, 0.0, 0.0, 0.0))

    with pytest.raises(Fail, match="could not observe"):
        backprop.test_train_backprop_backward_pass(Learner(Silent()))


def test_an_ignored_learning_rate_is_named_only_when_a_probe_confirms_it():
    """A halved gradient looks like a halved rate on one call; calling again with another rate tells."""
    import inspect
    import textwrap

    from solutions import backprop as reference

    source = "\n\n".join(
        textwrap.dedent(inspect.getsource(f)) for f in vars(reference).values() if inspect.isfunction(f)
    )
    step = "diffp(error_nn, i, *weights, x, yy)"
    halved = source.replace(step, f"0.5 * {step}")
    header = "learning_rate=0.001, epochs=100):"
    fixed = source.replace(header, f"{header}\n    learning_rate = 0.01")
    assert source != halved and source != fixed
    for code, named in ((halved, False), (fixed, True)):
        learner = learner_from("import numpy as np\n" + code)
        with pytest.raises(Fail) as failed:
            backprop.test_train_numeric_two_epochs(learner)
        assert (backprop.RATE_IGNORED in str(failed.value)) is named, str(failed.value)
