"""Hidden checks for lesson 1: Python functions."""

from functools import partial

from solutions import functions as ref

from ..worker.plain import TestFn
from . import Fail, check
from .compare import expect_close, expect_equal, number
from .diagnose import Mistake, likely

LESSON = "01-functions"

MISTAKES = {
    "sq": [
        Mistake("sq doubles x instead of squaring it: x * x, not 2 * x.", lambda x: 2 * x),
        Mistake("`^` is bitwise XOR in Python, not a power: write `x ** 2`.", lambda x: x ^ 2),
    ],
    "add": [
        Mistake("add subtracts: return a + b.", lambda a, b: a - b),
        Mistake(
            "add drops the fractional part: add the values as they are, without int(...).",
            lambda a, b: int(a) + int(b),
        ),
    ],
    "total": [
        Mistake("total counts the arguments instead of adding them up.", lambda *args: len(args)),
        Mistake("total skips the first argument: add up every value in args.", lambda *args: sum(args[1:])),
        Mistake(
            "total returns inside the loop, after the first value: return after the loop ends.",
            lambda *args: args[0],
        ),
    ],
    "apply_transformation": [
        Mistake(
            "apply_transformation applies f twice: call f once per element.",
            lambda f, arr: [f(f(a)) for a in arr],
        ),
        Mistake(
            "the results come out in reverse order: keep the order of arr.",
            lambda f, arr: [f(a) for a in reversed(arr)],
        ),
        Mistake("apply_transformation ignores f: call f on every element.", lambda f, arr: list(arr)),
        Mistake(
            "only the last result is kept: append every f(a) to the list inside the loop.",
            lambda f, arr: [f(arr[-1])],
        ),
    ],
}


def expect(learner, function, *args):
    """Call the learner's `function` on numbers; compare with the reference, naming a likely mistake."""
    call = f"{function}{args}" if len(args) != 1 else f"{function}({args[0]!r})"
    got = number(getattr(learner, function)(*args), call)
    hint = partial(likely, MISTAKES[function], got, args)
    expect_close(got, getattr(ref, function)(*args), call, rtol=1e-12, hint=hint)


@check("sq", points=1)
def test_sq(learner):
    """sq squares integers, floats and negative numbers"""
    for x in (7, -3, 0, 2.5, -0.125):
        expect(learner, "sq", x)


@check("add", points=1)
def test_add(learner):
    """add adds two numbers in either order"""
    for a, b in ((10, 20), (10.5, 120), (-4, 1.25), (0, -7)):
        expect(learner, "add", a, b)


@check("total", points=1)
def test_total_few(learner):
    """total adds one, two or three arguments"""
    for args in ((5,), (2, 3), (2, 3, 4), (1.5, -2.5, 10)):
        expect(learner, "total", *args)


@check("total", points=1)
def test_total_edge_cases(learner):
    """total of no arguments is 0, and it takes many arguments"""
    expect_equal(number(learner.total(), "total()"), 0.0, "total()")
    expect(learner, "total", *range(1, 41))


@check("apply_transformation", points=1)
def test_apply_transformation_values(learner):
    """apply_transformation returns a list of f(a), in order"""
    for name, arr in (("sq", [1, 2, 3]), ("cube", [-2, 0.5, 4, 10]), ("sin", [0.0, 1.0, 2.0])):
        call = f"apply_transformation({name}, {arr})"
        got = learner.apply_transformation(TestFn(name), arr)
        want = ref.apply_transformation(TestFn(name), arr)
        hint = partial(likely, MISTAKES["apply_transformation"], got, (TestFn(name), arr))
        if not isinstance(got, list) or len(got) != len(want):
            hint_text = hint() if isinstance(got, list) else None
            message = (
                f"{call} should return a list of {len(want)} values, one per input; it returned {got!r:.80}."
            )
            raise Fail(f"{message}\nLikely mistake: {hint_text}" if hint_text else message)
        expect_close([number(v, call) for v in got], want, call, rtol=1e-12, hint=hint)


@check("apply_transformation", points=1)
def test_apply_transformation_empty(learner):
    """apply_transformation of an empty list is an empty list"""
    got = learner.apply_transformation(TestFn("sq"), [])
    expect_equal(got, [], "apply_transformation(sq, [])")
