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
        Mistake(
            "total drops each value's fractional part: add the values as they are, without int(...).",
            lambda *args: sum(int(a) for a in args),
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


# The inputs of each check, in the order they are tried. Fractional parts that do not cancel, and
# argument counts that differ from the values, keep every catalogued mistake apart from the answer and
# from the others where it first fails (tests/test_diagnostics.py).
CASES = {
    "test_sq": ((7,), (-3,), (0,), (2.5,), (-0.125,)),
    "test_add": ((10, 20), (10.5, 1.25), (-4, 1.25), (0, -7)),
    "test_total_few": ((5,), (2, 3, 4), (2, 3), (1.5, -2.5, 10), (2.75, 1.5, 1.0)),
    "test_total_edge_cases": (tuple(range(1, 41)),),
}
# (test function and its coefficients, arr); `mystery` has coefficients chosen here, so computing f's values
# without calling f (a table for functions it recognises) cannot pass.
APPLY_CASES = (
    (("sq",), [1, 2, 3]),
    (("cube",), [-2, 0.5, 4, 10]),
    (("sin",), [0.0, 1.0, 2.0]),
    (("mystery", 1.7, 1.3, -0.4), [0.2, -1.0, 2.5]),
)


def expect(learner, function, *args):
    """Call the learner's `function` on numbers; compare with the reference, naming a likely mistake."""
    call = f"{function}{args}" if len(args) != 1 else f"{function}({args[0]!r})"
    got = number(getattr(learner, function)(*args), call)
    hint = partial(likely, MISTAKES[function], got, args, rtol=1e-9)
    expect_close(got, getattr(ref, function)(*args), call, rtol=1e-12, hint=hint)


@check("sq", points=1)
def test_sq(learner):
    """sq squares integers, floats and negative numbers"""
    for args in CASES["test_sq"]:
        expect(learner, "sq", *args)


@check("add", points=1)
def test_add(learner):
    """add adds two numbers in either order"""
    for args in CASES["test_add"]:
        expect(learner, "add", *args)


@check("total", points=1)
def test_total_few(learner):
    """total adds one, two or three arguments, fractional parts included"""
    for args in CASES["test_total_few"]:
        expect(learner, "total", *args)


@check("total", points=1)
def test_total_edge_cases(learner):
    """total of no arguments is 0, and it takes many arguments"""
    expect_equal(number(learner.total(), "total()"), 0.0, "total()")
    for args in CASES["test_total_edge_cases"]:
        expect(learner, "total", *args)


@check("apply_transformation", points=1)
def test_apply_transformation_values(learner):
    """apply_transformation returns a list of f(a), in order, for any f"""
    for spec, arr in APPLY_CASES:
        f = TestFn(*spec)
        call = f"apply_transformation({f.name}, {arr})"
        got = learner.apply_transformation(f, arr)
        want = ref.apply_transformation(f, arr)
        hint = partial(likely, MISTAKES["apply_transformation"], got, (f, arr), rtol=1e-9)
        if not isinstance(got, list) or len(got) != len(want):
            hint_text = hint(want=want) if isinstance(got, list) else None
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
