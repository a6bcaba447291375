"""Hidden checks for lesson 8: sigmoid, tanh and ReLU, each a forward pass and a backward pass on its cache.

The cache is the learner's own object, so every check runs in the worker through a check program
(worker/programs/activations.py): the learner's forward pass on Z, then, for the backward checks, the
learner's backward pass twice on that cache. Only arrays, warning counts and "was this input changed" flags
come back. A backward pass is judged on its own forward pass's cache (its format is the learner's choice),
against the reference's dZ for the same Z and dA.

Tolerance: elementwise, |got - want| <= ATOL + RTOL * |want|, RTOL = 1e-7, ATOL = 1e-10. Measured on
every check's inputs (tests/catalogue.py rows, in-process): the correct styles' worst deviation is 2.4e-7
of that allowance (3.6e-14 relative, for dA - dA * A * A), and the closest catalogued wrong value is 4.9e6
times the allowance (tanh(Z / 2) for tanh). The absolute part admits tiny values that no float64 formula
gets to full relative precision (sigmoid(-35.2) as 0.5 * (1 + tanh(-17.6))) and clipping Z to +-30 or
wider (9e-4 of the allowance); clipping to +-20 is 20 times over and fails, as it should: sigmoid(20)
is visibly not 1 to double precision.

Z is drawn from a fixed-seed normal distribution (no element is exactly 0); dA independently, so its
signs differ from Z's and a ReLU mask taken from dA shows. Only `test_relu_backward_at_zero` puts exact
zeros (0.0 and -0.0) in Z, to pin the contract: ReLU's derivative is 0 where Z <= 0.

Stability: numpy's RuntimeWarnings are switched on and counted while the learner's code runs (nbgrader's
path silences them; the program does not), so an overflowing np.exp fails its check even when the values
come out right: under nbgrader a warning on stderr would zero the learner's own test cell. Large negative
and large positive Z are run separately, so the message says which side overflowed. A large-Z check first
reruns its function's ordinary inputs and, if those fail, defers to that check without a hint, so code
that is both wrong and overflowing has one mistake named at a time.
"""

from functools import cache

import numpy as np

from solutions import activations as ref

from . import Fail, check
from .compare import rel_error, relative_gap
from .diagnose import Mistake, likely

LESSON = "08-activations"
RTOL, ATOL = 1e-7, 1e-10
SHAPE = (6, 5)
LARGE_NEGATIVE = np.array([[-1000.0, -800.0, -745.3], [-710.4, -60.7, -35.2]])
LARGE_POSITIVE = -LARGE_NEGATIVE
EXACT_ZEROS = np.array([[0.0, 1.7, -0.8, -0.0], [2.3, -0.0, 0.0, -1.1], [0.0, -2.6, 0.6, 0.0]])


@cache
def data(seed):
    """Z and dA of SHAPE; Z spread over the region where the activations bend, no element near 0."""
    rng = np.random.default_rng(seed)
    Z = 2.0 * rng.standard_normal(SHAPE)
    Z = np.where(np.abs(Z) < 0.05, 0.05 * np.sign(Z) + Z, Z)
    dA = rng.standard_normal(SHAPE)
    return Z, dA


def sigmoid(Z):
    return ref.sigmoid_forward(Z)[0]


def tanh(Z):
    return np.tanh(Z)


IN_PLACE = (
    "writing into an argument (`Z[Z < 0] = 0`, `dA *= ...`, `np.tanh(Z, out=Z)`) changes the caller's "
    "array in place: compute a new array instead."
)
CACHE_CHANGED = (
    "the backward pass changes the cache in place (e.g. `A = cache; A *= 1 - A`), so a second call on the "
    "same cache gives another dZ. Compute a new array: `dA * A * (1 - A)`."
)
Z_UNCHANGED = "A is Z unchanged: return the pair in the order (A, cache), with the activation applied to Z."

FORWARD_MISTAKES = {
    "sigmoid": [
        Mistake(
            "A comes out as 1 - sigmoid(Z): check the sign in the exponent, sigmoid(Z) = 1 / (1 + exp(-Z)).",
            lambda Z: sigmoid(-Z),
        ),
        Mistake(
            "A is 1 + exp(-Z): operator precedence. `1 / 1 + np.exp(-Z)` divides 1 by 1 first; put the "
            "denominator in brackets, `1 / (1 + np.exp(-Z))`.",
            lambda Z: 1 + np.exp(-Z),
        ),
        Mistake("A is tanh(Z), not the sigmoid: sigmoid(Z) = 1 / (1 + exp(-Z)).", tanh),
        Mistake(Z_UNCHANGED, lambda Z: Z),
    ],
    "tanh": [
        Mistake(
            "A is tanh(Z / 2): 2 * sigmoid(Z) - 1 equals tanh(Z / 2), not tanh(Z). Use np.tanh, or "
            "2 * sigmoid(2 * Z) - 1.",
            lambda Z: tanh(Z / 2),
        ),
        Mistake("A is the sigmoid of Z, not tanh(Z): use np.tanh.", sigmoid),
        Mistake(
            "A comes out as -tanh(Z): the sign is flipped; "
            "tanh(Z) = (exp(Z) - exp(-Z)) / (exp(Z) + exp(-Z)).",
            lambda Z: -tanh(Z),
        ),
        Mistake(Z_UNCHANGED, lambda Z: Z),
    ],
    "relu": [
        Mistake(
            "A keeps the negative part of Z: ReLU keeps the positive part, "
            "np.maximum(Z, 0) (not np.minimum).",
            lambda Z: np.minimum(Z, 0),
        ),
        Mistake(
            "A is the 0/1 mask of where Z > 0, not max(Z, 0): ReLU passes positive values through "
            "as they are.",
            lambda Z: (Z > 0).astype(float),
        ),
        Mistake(Z_UNCHANGED, lambda Z: Z),
    ],
}

NO_UPSTREAM = "dZ is only the local derivative: multiply it by the upstream gradient dA."
BACKWARD_MISTAKES = {
    "sigmoid": [
        Mistake(
            "sigmoid'(Z) is A * (1 - A) with A = sigmoid(Z), the forward pass's output; Z * (1 - Z) uses the "
            "input Z instead.",
            lambda Z, dA: dA * Z * (1 - Z),
        ),
        Mistake(NO_UPSTREAM, lambda Z, dA: sigmoid(Z) * (1 - sigmoid(Z))),
        Mistake(
            "the sigmoid is applied twice: your cache already holds A = sigmoid(Z), so the derivative is "
            "A * (1 - A), with no further sigmoid.",
            lambda Z, dA: dA * sigmoid(sigmoid(Z)) * (1 - sigmoid(sigmoid(Z))),
        ),
        Mistake(
            "dZ has the wrong sign: sigmoid'(Z) = A * (1 - A) is positive.",
            lambda Z, dA: -dA * sigmoid(Z) * (1 - sigmoid(Z)),
        ),
        Mistake(
            "that is tanh's derivative, 1 - A**2: the sigmoid's is A * (1 - A).",
            lambda Z, dA: dA * (1 - sigmoid(Z) ** 2),
        ),
    ],
    "tanh": [
        Mistake(
            "tanh'(Z) is 1 - A**2 with A = tanh(Z), the forward pass's output; 1 - Z**2 uses the input Z "
            "instead.",
            lambda Z, dA: dA * (1 - Z**2),
        ),
        Mistake(
            "the square is missing: tanh'(Z) = 1 - A**2, with A = tanh(Z).", lambda Z, dA: dA * (1 - tanh(Z))
        ),
        Mistake(NO_UPSTREAM, lambda Z, dA: 1 - tanh(Z) ** 2),
        Mistake(
            "tanh is applied twice: your cache already holds A = tanh(Z), so the derivative is 1 - A**2, "
            "with no further tanh.",
            lambda Z, dA: dA * (1 - tanh(tanh(Z)) ** 2),
        ),
        Mistake(
            "that is the sigmoid's derivative, A * (1 - A): tanh's is 1 - A**2.",
            lambda Z, dA: dA * tanh(Z) * (1 - tanh(Z)),
        ),
    ],
    "relu": [
        Mistake(
            "the mask comes from dA: ReLU passes the gradient where its input Z was positive, so the mask "
            "is Z > 0, whatever the sign of dA.",
            lambda Z, dA: dA * (dA > 0),
        ),
        Mistake(
            "dZ equals dA everywhere: the gradient must be 0 where Z <= 0. (If your mask is A >= 0: "
            "A = max(Z, 0) is never negative, so that mask is always true.)",
            lambda Z, dA: dA,
        ),
        Mistake(NO_UPSTREAM + " ReLU's local derivative is the 0/1 mask Z > 0.", lambda Z, dA: (Z > 0) * 1.0),
        Mistake(
            "dZ is multiplied by A = max(Z, 0): ReLU's derivative is 1 where Z > 0 and 0 elsewhere, a mask.",
            lambda Z, dA: dA * np.maximum(Z, 0),
        ),
        Mistake(
            "the mask is inverted: pass the gradient where Z > 0 and block it where Z <= 0.",
            lambda Z, dA: dA * (Z < 0),
        ),
    ],
}
GREATER_EQUAL = (
    "relu_backward lets the gradient through where Z is exactly 0. ReLU has no slope at 0; this course "
    "(like most libraries) takes it to be 0 there, so the mask is Z > 0, not Z >= 0."
)

ADVICE = {
    "forward": "compute {name}(Z) by hand for a few elements, e.g. Z = -2, 0.5, 3, and compare with your A.",
    "backward": "for a few elements, work out the local derivative from A = {name}(Z) by hand, multiply by "
    "dA, and compare; or check against numerical differences of {name}_forward.",
}


def shown(Z):
    """Z as a message shows it: its numbers when there are few, else its shape."""
    if Z.size <= 12:
        return "Z = " + " ".join(np.array2string(Z, separator=", ", max_line_width=200).split())
    return f"Z of shape {Z.shape}"


def forward(learner, name, Z):
    """(call, what, A, numpy warning count) for the learner's forward pass; Fail if Z changed or A's shape
    is wrong. `call` and `what` name the call and its value for messages."""
    A, warned, changed = learner.program(f"{name}_forward_A", Z)
    call = f"{name}_forward(Z), {shown(Z)},"
    if changed:
        raise Fail(f"{call} changed Z in place.\nLikely mistake: {IN_PLACE}")
    what = f"The A that {call} returned"
    expect_shape(A, Z, what, "A", name)
    return call, what, A, warned


def backward(learner, name, Z, dA):
    """(call, what, dZ, numpy warning count of the backward pass) for the learner's backward pass on its own
    forward pass's cache; Fail on changed inputs, a dZ that a second call does not repeat, a wrong shape."""
    program = learner.program(f"{name}_forward_backward", Z, dA)
    dZ, again, _, warned, z_changed, da_changed, a_changed = program
    call = f"{name}_backward(dA, cache), with the cache from your {name}_forward(Z), {shown(Z)},"
    if da_changed:
        raise Fail(f"{call} changed dA in place.\nLikely mistake: {IN_PLACE}")
    if z_changed:
        raise Fail(f"{call} changed Z, which your cache holds, in place.\nLikely mistake: {IN_PLACE}")
    if a_changed or not np.array_equal(dZ, again, equal_nan=True):
        raise Fail(
            f"{call} changed the cache: a second call on it gave another dZ.\nLikely mistake: {CACHE_CHANGED}"
        )
    what = f"The dZ that {call} returned"
    expect_shape(dZ, Z, what, "dZ", name)
    return call, what, dZ, warned


def expect_shape(got, Z, what, label, name):
    if got.shape != Z.shape:
        hint = ""
        if name == "relu" and label == "A" and got.shape == Z.shape[1:]:
            hint = (
                "\nLikely mistake: np.max(Z, 0) is a reduction: it takes the largest element of each column. "
                "np.maximum(Z, 0) compares every element with 0."
            )
        raise Fail(
            f"{what} has shape {got.shape}, but Z has shape {Z.shape}: an activation acts on each element "
            f"separately, so {label} is shaped like Z.{hint}"
        )


def expect_values(got, want, what, mistakes, args, advice):
    """Fail unless `got` is within ATOL + RTOL * |want| of `want` everywhere, naming a singled-out mistake.
    The message says how far off `got` is, never `want`."""
    if close(got, want):
        return
    if not np.all(np.isfinite(got)):
        raise Fail(f"{what} holds nan or inf.\nNext step: {advice}")
    gap = relative_gap(got, want)
    if rel_error(got, want) < 1e-2:
        text = f"{what} is close, but not within the tolerance (relative {RTOL:g}, absolute {ATOL:g})"
        text += f"; its relative error is {gap}." if gap else "."
    else:
        text = f"{what} is not the correct value" + (f" (relative error {gap})." if gap else ".")
    hint = likely(mistakes, got, args, rtol=1e-6, want=want)
    raise Fail(f"{text}\nLikely mistake: {hint}" if hint else f"{text}\nNext step: {advice}")


def reference(name, Z, dA=None):
    """The reference's A for Z, or its dZ for (Z, dA)."""
    A, cache = getattr(ref, f"{name}_forward")(Z)
    return A if dA is None else getattr(ref, f"{name}_backward")(dA, cache)


SEEDS = {
    ("sigmoid", "forward"): 801,
    ("sigmoid", "backward"): 802,
    ("tanh", "forward"): 803,
    ("tanh", "backward"): 804,
    ("relu", "forward"): 805,
    ("relu", "backward"): 806,
}


def close(got, want):
    return bool(np.all(np.abs(got - want) <= ATOL + RTOL * np.abs(want)))


def check_forward(learner, name):
    Z = data(SEEDS[name, "forward"])[0]
    _, what, A, _ = forward(learner, name, Z)
    advice = ADVICE["forward"].format(name=name)
    expect_values(A, reference(name, Z), what, FORWARD_MISTAKES[name], (Z,), advice)


def check_backward(learner, name):
    Z, dA = data(SEEDS[name, "backward"])
    _, what, dZ, _ = backward(learner, name, Z, dA)
    advice = ADVICE["backward"].format(name=name)
    expect_values(dZ, reference(name, Z, dA), what, BACKWARD_MISTAKES[name], (Z, dA), advice)


OVERFLOW = {
    "negative": "np.exp(-Z) overflows when Z is below about -709 (exp(709) is close to the largest float)",
    "positive": "np.exp(Z) overflows when Z is above about 709 (exp(709) is close to the largest float)",
}


def overflow_hint(name, sides, right, stage):
    """The likely mistake behind numpy warnings on the `sides` ("negative", "positive") of large Z."""
    if name == "tanh":
        if stage == "backward":
            return (
                "the backward pass computes something that overflows for large |Z| (np.cosh(Z) does above "
                "about 710): tanh'(Z) = 1 - A**2 needs only A = tanh(Z), which your forward pass can cache."
            )
        return (
            "exp(Z) and exp(-Z) (and np.sinh, np.cosh) overflow for |Z| above about 709, and inf / inf is "
            "nan: np.tanh computes tanh without overflowing."
        )
    if len(sides) == 2 and right:
        return (
            "np.exp overflowed for large positive and for large negative Z, though the answer is right. "
            "np.where(Z >= 0, x, y) computes both x and y for every element before it chooses, so the exp in "
            "the branch not taken still overflows. Compute exp only of -|Z|, which is never positive."
        )
    if len(sides) == 1:
        where = "backward pass" if stage == "backward" else "forward pass"
        return (
            f"{OVERFLOW[sides[0]]}, and numpy warns. Your {where} needs a form that never takes exp of a "
            "large positive number: for example exp(-|Z|), choosing the formula by the sign of Z."
        )
    return None


def check_large(learner, name, stage):
    """Large |Z|: the values, and no numpy warning (a warning on stderr zeroes an nbgrader test cell).

    Code that is wrong on ordinary Z is sent back to that check first, so one mistake is named once and a
    second defect (the same code overflowing too) is named when the first is fixed."""
    Z, dA = data(SEEDS[name, stage])
    if stage == "forward":
        call, _, got, _ = forward(learner, name, Z)
    else:
        call, _, got, _ = backward(learner, name, Z, dA)
    if not close(got, reference(name, Z, dA if stage == "backward" else None)):
        raise Fail(
            f"Large Z are checked once {name}_{stage} is right for ordinary Z, and it is not yet: "
            f"{call} is off (its other check says how). Fix that first."
        )
    warned, results = [], []
    for side, Z in (("negative", LARGE_NEGATIVE), ("positive", LARGE_POSITIVE)):
        if stage == "forward":
            call, what, got, count = forward(learner, name, Z)
            want, mistakes, args = reference(name, Z), FORWARD_MISTAKES[name], (Z,)
        else:
            dA = np.linspace(-1.3, 1.1, Z.size).reshape(Z.shape)
            call, what, got, count = backward(learner, name, Z, dA)
            want, mistakes, args = reference(name, Z, dA), BACKWARD_MISTAKES[name], (Z, dA)
        if count:
            warned.append((side, call))
        results.append((what, got, want, mistakes, args))
    right = all(close(g, w) for _, g, w, _, _ in results)
    if warned:
        sides = [side for side, _ in warned]
        text = f"{warned[0][1]} made numpy warn (an overflow, or an invalid value such as inf / inf)"
        text += " for large negative and for large positive Z." if len(sides) == 2 else "."
        text += " numpy prints such warnings on stderr, and nbgrader scores a test cell that writes there 0."
        hint = overflow_hint(name, sides, right, stage)
        raise Fail(f"{text}\nLikely mistake: {hint}" if hint else text)
    advice = ADVICE[stage].format(name=name)
    for what, got, want, mistakes, args in results:
        expect_values(got, want, what, mistakes, args, advice)


# --- sigmoid ------------------------------------------------------------------------------------------------


@check("sigmoid_forward", points=1)
def test_sigmoid_forward(learner):
    """sigmoid_forward's A is 1 / (1 + exp(-Z)), elementwise, shaped like Z, and Z is left as it was"""
    check_forward(learner, "sigmoid")


@check("sigmoid_forward", points=1)
def test_sigmoid_forward_large(learner):
    """sigmoid_forward stays right and quiet (no overflow warning) for Z as large as +-1000"""
    check_large(learner, "sigmoid", "forward")


@check("sigmoid_backward", points=2)
def test_sigmoid_backward(learner):
    """sigmoid_backward on its own forward pass's cache gives dZ = dA * A * (1 - A), leaving its inputs"""
    check_backward(learner, "sigmoid")


@check("sigmoid_backward", points=1)
def test_sigmoid_backward_large(learner):
    """sigmoid_backward stays right and quiet (no overflow warning) for Z as large as +-1000"""
    check_large(learner, "sigmoid", "backward")


# --- tanh ---------------------------------------------------------------------------------------------------


@check("tanh_forward", points=1)
def test_tanh_forward(learner):
    """tanh_forward's A is tanh(Z), elementwise, shaped like Z, and Z is left as it was"""
    check_forward(learner, "tanh")


@check("tanh_forward", points=1)
def test_tanh_forward_large(learner):
    """tanh_forward stays right and quiet (no overflow warning) for Z as large as +-1000"""
    check_large(learner, "tanh", "forward")


@check("tanh_backward", points=2)
def test_tanh_backward(learner):
    """tanh_backward on its own forward pass's cache gives dZ = dA * (1 - A**2), leaving its inputs"""
    check_backward(learner, "tanh")


@check("tanh_backward", points=1)
def test_tanh_backward_large(learner):
    """tanh_backward stays right and quiet (no overflow warning) for Z as large as +-1000"""
    check_large(learner, "tanh", "backward")


# --- relu ---------------------------------------------------------------------------------------------------


@check("relu_forward", points=1)
def test_relu_forward(learner):
    """relu_forward's A is max(Z, 0), elementwise, shaped like Z, and Z is left as it was"""
    check_forward(learner, "relu")


@check("relu_backward", points=1)
def test_relu_backward(learner):
    """relu_backward on its own forward pass's cache passes dA where Z > 0 and 0 where Z < 0"""
    check_backward(learner, "relu")


@check("relu_backward", points=1)
def test_relu_backward_at_zero(learner):
    """relu_backward gives 0 where Z is exactly 0: the contract takes ReLU's derivative at 0 to be 0"""
    Z = EXACT_ZEROS
    dA = np.linspace(-1.3, 1.9, Z.size).reshape(Z.shape)  # no element 0: at every Z = 0, dA would pass
    _, what, dZ, _ = backward(learner, "relu", Z, dA)
    mistakes = [Mistake(GREATER_EQUAL, lambda Z, dA: dA * (Z >= 0)), *BACKWARD_MISTAKES["relu"]]
    advice = ADVICE["backward"].format(name="relu")
    expect_values(dZ, reference("relu", Z, dA), what, mistakes, (Z, dA), advice)
