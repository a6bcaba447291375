"""Evidence from a traced call of diff or diffp: what the learner's own evaluations of fn explain.

A traced call (learner.traced) records where the learner's code evaluated fn, and what fn returned.
Rebuilding the usual difference quotients from those very numbers tells a step that is too small or too
large (the quotient is right, the step is not), a sign slip and an operator-precedence slip apart, and
shows when fn was never evaluated near the point at all (a table of exact derivatives).
"""

from .diagnose import distance, single_out


def evaluations(calls, fn_name, point, nparams=0):
    """fn's evaluations around `point`: {position: [(offset, value)]}, position None for `point` itself.

    Only evaluations that differ from `point` in at most one position count; positions holding arrays of
    more than one number (recorded as None) are taken as unchanged.
    """
    found = {}
    for name, args, result in calls:
        args = args[nparams:]
        if name != fn_name or type(result) is not float or len(args) != len(point):
            continue
        moved = [i for i, (a, p) in enumerate(zip(args, point)) if a is not None and p is not None and a != p]
        if len(moved) > 1 or any(a is None and p is not None for a, p in zip(args, point)):
            continue
        position = moved[0] if moved else None
        offset = args[position] - point[position] if moved else 0.0
        found.setdefault(position, []).append((offset, result))
    return found


def _nominal(step):
    """A step as the learner probably wrote it: 1.0000889e-12 -> 1e-12."""
    return float(f"{step:.0e}")


def quotients(values):
    """{kind: [(answer, step, centred)]} from fn's values [(offset, value)] along one argument."""
    found = {}
    points = sorted(set(values))
    for i, (b, fb) in enumerate(points):
        for a, fa in points[i + 1 :]:
            span, rise = a - b, fa - fb
            if span <= 0:
                continue
            centred = abs(a + b) <= 1e-3 * span
            step = span / 2 if centred else span
            for width in {span, 2 * _nominal(step) if centred else _nominal(step)}:
                found.setdefault("quotient", []).append((rise / width, step, centred))
                found.setdefault("sign", []).append((-rise / width, step, centred))
            for h in {step, _nominal(step)}:
                found.setdefault("precedence", []).append((rise / 2 * h, step, centred))
                if centred:
                    found.setdefault("half span", []).append((rise / h, step, centred))
    return found


STEP_TOO_SMALL = (
    "your step is too small (about {step:.0e}): round-off error dominates, since x + delta is rounded and "
    "fn's two values differ only in their last digits. Use a step near 1e-6 with a central difference "
    "(near 1e-8 with a forward one)."
)
STEP_TOO_LARGE = (
    "your step is too large (about {step:.0e}): truncation error dominates. Use a central difference with "
    "a step near 1e-6 (or a forward difference with a step near 1e-8)."
)
QUOTIENT_HINTS = {
    "sign": "the difference is taken the wrong way round, so the slope has the wrong sign: subtract the "
    "value at the smaller input from the value at the larger one.",
    "precedence": "Python reads `a / 2 * h` as `(a / 2) * h`, so the difference is multiplied by the step "
    "instead of divided by it: write `/ (2 * delta)` (or `/ delta` for a forward difference).",
    "half span": "a central difference spans 2 * delta: divide by 2 * delta (or by the step actually taken).",
}


def step_verdict(step, centred, scale):
    """The hint for a right quotient with a wrong step, or None when the step is in the sensible range.

    Relative to the input's size: forward steps from 1e-9 to 1e-5 and central steps from 1e-8 to 1e-3 are
    accurate enough for the checks; outside that range the step explains the error.
    """
    low, high = (1e-8, 1e-3) if centred else (1e-9, 1e-5)
    relative = abs(step) / scale
    if relative < low:
        return STEP_TOO_SMALL.format(step=step)
    if relative > high:
        return STEP_TOO_LARGE.format(step=step)
    return None


def quotient_hint(got, want, values, scale, rtol=1e-6):
    """The hint for what fn's values along the differentiated argument explain about `got`, or None.

    Steps below 1e-10 of the input's size are a mistake whatever the formula, and rounding x + delta
    changes such a step by up to a factor 2, so they are named before any quotient is rebuilt.
    """
    steps = [abs(offset) for offset, _ in values if offset]
    if steps and max(steps) < 1e-10 * scale:
        return STEP_TOO_SMALL.format(step=max(steps))
    found = quotients(values)
    kind = single_out(got, {k: [a for a, _, _ in v] for k, v in found.items()}, rtol, rivals=(want,))
    if kind is None:
        return None
    if kind != "quotient":
        return QUOTIENT_HINTS[kind]
    _, step, centred = min(found[kind], key=lambda item: distance(got, item[0]))
    return step_verdict(step, centred, scale)
