"""Hints are right when they speak: every catalogued mistake variant of lessons 1, 2, 3 and 5 is singled out
on the inputs where it first fails a check, and the rules that decide this hold on their own.

For each variant and each check that uses it, the checks' own inputs are tried in order, as a learner with
that mistake would be graded: at the first input where the variant fails, its answer must be apart by a
clear factor from the correct answer and from every other variant, and `likely` must name it. (Where the
variant has diverged past 1e6, only its direction is evidence, so there it must merely not be misnamed.)
Every variant must be singled out by some check, or it is dead weight in the catalogue.
"""

import math

import numpy as np
import pytest

from autograder import checks
from autograder.checks import diagnose, quotients
from autograder.checks import test_functions as functions
from autograder.checks import test_gradient_descent as descent
from autograder.checks import test_numeric_diff as numeric
from autograder.checks import test_partial_derivatives as partials
from autograder.checks.diagnose import APART, Mistake, as_keywords, distance, likely, single_out
from autograder.worker.plain import TestFn
from solutions import functions as ref_functions
from solutions import gradient_descent as ref_descent
from solutions import numeric_diff as ref_numeric
from solutions import partial_derivatives as ref_partials


def check_names(lesson, function):
    return [c.name for c in checks.load(lesson) if c.function == function]


def site(function, mistakes, reference, cases, rtol, atol, match):
    """Where hints are given: a function's variants, its reference, each check's inputs as (args, kwargs),
    the check's tolerance, and the rtol `likely` matches with there."""
    return dict(
        function=function, mistakes=mistakes, ref=reference, cases=cases, rtol=rtol, atol=atol, match=match
    )


def sites():
    found = []
    for function in ("sq", "add", "total"):
        cases = {n: [(a, {}) for a in functions.CASES[n]] for n in check_names(functions.LESSON, function)}
        mistakes = functions.MISTAKES[function]
        found.append(site(function, mistakes, getattr(ref_functions, function), cases, 1e-12, 0.0, 1e-9))
    apply_cases = {
        "test_apply_transformation_values": [((TestFn(*f), a), {}) for f, a in functions.APPLY_CASES]
    }
    found.append(
        site(
            "apply_transformation",
            functions.MISTAKES["apply_transformation"],
            ref_functions.apply_transformation,
            apply_cases,
            1e-12,
            0.0,
            1e-9,
        )
    )
    diff_cases = {
        n: [((TestFn(name, *params), x), {}) for (name, params), x in cases]
        for n, cases in numeric.CASES.items()
    }
    found.append(
        site("diff", numeric.MISTAKES, ref_numeric.diff, diff_cases, numeric.RTOL, numeric.ATOL, 1e-3)
    )
    diffp_cases = {
        n: [((TestFn(name, *params), idx, *args), {}) for (name, params), idx, args in cases]
        for n, cases in partials.CASES.items()
    }
    found.append(
        site("diffp", partials.MISTAKES, ref_partials.diffp, diffp_cases, partials.RTOL, partials.ATOL, 1e-3)
    )
    error_cases = {n: [(a, {}) for a in cases] for n, cases in descent.ERROR_CASES.items()}
    found.append(site("error", descent.ERROR_MISTAKES, ref_descent.error, error_cases, 1e-9, 0.0, 1e-6))
    fit_cases = {
        n: [((), as_keywords(ref_descent.grad_fit, a, k)) for a, k in cs]
        for n, cs in descent.FIT_CASES.items()
    }
    found.append(
        site("grad_fit", descent.FIT_MISTAKES, ref_descent.grad_fit, fit_cases, descent.RTOL, 0.0, 1e-4)
    )
    return found


SITES = sites()
VARIANTS = [(s, m) for s in SITES for m in s["mistakes"]]


def answer(mistake, args, kwargs):
    try:
        with np.errstate(all="ignore"):
            value = np.asarray(mistake.answer(*args, **kwargs), dtype=float)
    except Exception:  # noqa: BLE001 - a variant that cannot run on an input gives no answer there
        return None
    return value if np.all(np.isfinite(value)) else None


def fails(got, want, rtol, atol):
    want = np.asarray(want, dtype=float)
    return got.shape != want.shape or not np.all(np.abs(got - want) <= atol + rtol * np.abs(want))


def test_every_check_module_of_these_lessons_is_covered():
    covered = {s["function"] for s in SITES}
    lessons = ("01-functions", "02-numeric-diff", "03-partial-derivatives", "05-gradient-descent")
    assert covered == {c.function for lesson in lessons for c in checks.load(lesson)}
    for s in SITES:
        named = set(s["cases"])
        assert named <= {c.name for lesson in lessons for c in checks.load(lesson)}, named


@pytest.mark.parametrize(
    "where, mistake", VARIANTS, ids=[f"{s['function']}-{i}" for i, (s, _) in enumerate(VARIANTS)]
)
def test_variant_is_singled_out_where_it_first_fails(where, mistake):
    singled_out = []
    for check_name, cases in where["cases"].items():
        for args, kwargs in cases:
            got = answer(mistake, args, kwargs)
            want = where["ref"](*args, **kwargs)
            if got is None or not fails(got, want, where["rtol"], where["atol"]):
                continue
            found = likely(where["mistakes"], got, args, kwargs, rtol=where["match"], want=want)
            if np.any(np.abs(got) > diagnose.BLOWN_UP):
                # diverged: mistakes that diverge the same way explain it equally; never a wrong name
                assert found in (None, mistake.hint), (check_name, args, found)
                break
            floor = APART * where["match"]
            assert distance(got, want) >= floor, (check_name, args, "too close to the correct answer")
            for other in where["mistakes"]:
                if other.hint != mistake.hint:
                    theirs = answer(other, args, kwargs)
                    assert theirs is None or distance(got, theirs) >= floor, (check_name, other.hint)
            assert found == mistake.hint, (check_name, args)
            singled_out.append(check_name)
            break
    assert singled_out, f"no check of {where['function']} singles out: {mistake.hint}"


# --- the rules themselves --------------------------------------------------------------------------------


def test_distance_is_relative_to_the_candidate_and_infinite_for_a_shape_mismatch():
    assert distance(1.01, 1.0) == pytest.approx(0.01)
    assert distance([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 2.2)
    assert distance([1.0], [1.0, 2.0]) == math.inf
    assert distance(1.0, float("nan")) == math.inf


def test_single_out_needs_one_clear_winner():
    assert single_out(2.0, {"a": [2.0], "b": [3.0]}, 1e-3) == "a"
    assert single_out(2.0, {"a": [2.0], "b": [2.0]}, 1e-3) is None  # two mistakes explain it equally
    assert single_out(2.0, {"a": [2.0005], "b": [2.005]}, 1e-3) is None  # the rival is not clearly farther
    assert single_out(2.0, {"a": [2.1]}, 1e-3) is None  # nothing explains it
    assert single_out(2.0, {"a": [2.0]}, 1e-3, rivals=(2.0,)) is None  # the answer itself explains it as well


def test_likely_never_names_a_mistake_that_coincides_with_the_answer():
    """diffp nudging the first argument is right when idx == 0: a near miss there names nothing."""
    fn = TestFn("mixed3")
    want = ref_partials.diffp(fn, 0, 1.5, -0.7, 2.0)
    near_miss = want * (1 + 3e-4)  # a forward difference with a large step
    assert likely(partials.MISTAKES, near_miss, (fn, 0, 1.5, -0.7, 2.0), want=want) is None
    assert likely(partials.MISTAKES, want * 1e-3, (fn, 0, 1.5, -0.7, 2.0), want=want) is None


def test_one_hint_may_have_several_variants():
    mistakes = [Mistake("doubled", lambda x: 2 * x), Mistake("doubled", lambda x: 2 * x + 1e-9)]
    assert likely(mistakes, 6.0, (3.0,), want=3.0) == "doubled"


def test_quotients_tell_the_step_from_the_learners_own_evaluations():
    x, h = 3.0, 1e-3
    values = [(h, (x + h) ** 2), (0.0, x * x)]
    forward = ((x + h) ** 2 - x * x) / h
    assert "step is too large" in quotients.quotient_hint(forward, 2 * x, values, 3.0)
    assert "wrong sign" in quotients.quotient_hint(-forward, 2 * x, values, 3.0)
    assert "(a / 2) * h" in quotients.quotient_hint(((x + h) ** 2 - x * x) / 2 * h, 2 * x, values, 3.0)
    x1 = x + 1e-12
    tiny = [(x1 - x, x1 * x1), (0.0, x * x)]
    assert "step is too small" in quotients.quotient_hint((x1 * x1 - x * x) / 1e-12, 2 * x, tiny, 3.0)
    assert quotients.quotient_hint(7.0, 2 * x, values, 3.0) is None  # nothing the evaluations explain


def test_a_right_quotient_with_a_sensible_step_names_nothing():
    assert quotients.step_verdict(1e-6, True, 1.0) is None
    assert quotients.step_verdict(1e-8, False, 1.0) is None
    assert "too small" in quotients.step_verdict(1e-12, True, 1.0)
    assert "too large" in quotients.step_verdict(1e-4, False, 1.0)


def test_error_advice_matches_the_function_that_raised():
    error = "TypeError: only 0-dimensional arrays can be converted to Python scalars"
    assert "diffp's arguments may be numpy arrays" in diagnose.error_hint("diffp", error)
    assert "turn each sample into a plain float" in diagnose.error_hint("train_numeric", error)
    assert "training" not in (diagnose.error_hint("diffp", error) or "")
    assert diagnose.error_hint("diff", error) is None


def test_mutation_is_named_only_for_the_argument_idx_names():
    fn = TestFn("sum_squared_error")
    assert diagnose.mutation_hint("diffp", (fn, 0, 1.0, 2.0), [2]) == diagnose.DIFFP_MUTATION
    assert diagnose.mutation_hint("diffp", (fn, 0, 1.0, 2.0), [3]) is None
    assert diagnose.mutation_hint("grad_fit", (), [0]) is None
