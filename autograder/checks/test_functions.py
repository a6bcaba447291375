"""Hidden checks for lesson 1: Python functions."""

from solutions import functions as ref

from ..worker.plain import TestFn
from . import Fail, check
from .compare import expect_close, expect_equal, number

LESSON = "01-functions"


@check("sq", points=1)
def test_sq(learner):
    """sq squares integers, floats and negative numbers"""
    for x in (7, -3, 0, 2.5, -0.125):
        expect_close(number(learner.sq(x), f"sq({x})"), ref.sq(x), f"sq({x})", rtol=1e-12)


@check("add", points=1)
def test_add(learner):
    """add adds two numbers in either order"""
    for a, b in ((10, 20), (10.5, 120), (-4, 1.25), (0, -7)):
        expect_close(number(learner.add(a, b), f"add({a}, {b})"), ref.add(a, b), f"add({a}, {b})", rtol=1e-12)


@check("total", points=1)
def test_total_few(learner):
    """total adds one, two or three arguments"""
    for args in ((5,), (2, 3), (2, 3, 4), (1.5, -2.5, 10)):
        call = f"total{args}"
        expect_close(number(learner.total(*args), call), ref.total(*args), call, rtol=1e-12)


@check("total", points=1)
def test_total_edge_cases(learner):
    """total of no arguments is 0, and it takes many arguments"""
    expect_equal(number(learner.total(), "total()"), 0.0, "total()")
    many = tuple(range(1, 41))
    expect_close(
        number(learner.total(*many), "total(1, 2, ..., 40)"),
        ref.total(*many),
        "total(1, ..., 40)",
        rtol=1e-12,
    )


@check("apply_transformation", points=1)
def test_apply_transformation_values(learner):
    """apply_transformation returns a list of f(a), in order"""
    for name, arr in (("sq", [1, 2, 3]), ("cube", [-2, 0.5, 4, 10]), ("sin", [0.0, 1.0, 2.0])):
        call = f"apply_transformation({name}, {arr})"
        got = learner.apply_transformation(TestFn(name), arr)
        want = ref.apply_transformation(TestFn(name), arr)
        if not isinstance(got, list) or len(got) != len(want):
            raise_kind(call, got, len(want))
        expect_close([number(v, call) for v in got], want, call, rtol=1e-12)


@check("apply_transformation", points=1)
def test_apply_transformation_empty(learner):
    """apply_transformation of an empty list is an empty list"""
    got = learner.apply_transformation(TestFn("sq"), [])
    expect_equal(got, [], "apply_transformation(sq, [])")


def raise_kind(call, got, length):
    raise Fail(f"{call} should return a list of {length} values, one per input; it returned {got!r:.80}.")
