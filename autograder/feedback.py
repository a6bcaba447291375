"""Per-learner HTML feedback pages, with a plot of the learner's fit against the data and the reference.

Everything on a page that came from learner code (messages, numbers) is escaped: a page must never run
what a submission wrote.
"""

import base64
import html
import importlib
import io
import sys
from pathlib import Path

from solutions import LESSON_MODULES

from .checks import Fail, compare
from .sanitize import file_stem

# Lessons whose functions fit a line: (function, how to turn its answer into (slope, intercept)).
FITS = {
    "05-gradient-descent": [("grad_fit", lambda w: w)],
    "06-backprop": [
        ("train_numeric", lambda w: (w[2] * w[0], w[2] * w[1] + w[3])),
        ("train_backprop", lambda w: (w[2] * w[0], w[2] * w[1] + w[3])),
    ],
}
SIZES = {"grad_fit": 2, "train_numeric": 4, "train_backprop": 4}


def probe(lesson, learner):
    """Call the learner's fitting functions on the lesson's hidden data; return plain data for plotting."""
    if lesson not in FITS:
        return {}
    module = importlib.import_module(f"autograder.checks.test_{LESSON_MODULES[lesson]}")
    reference = importlib.import_module(f"solutions.{LESSON_MODULES[lesson]}")
    X, y = module.data()
    plots = {"X": X.ravel().tolist(), "y": y.ravel().tolist(), "lines": {}}
    for function, line in FITS[lesson]:
        want = line(getattr(reference, function)(X, y))
        try:
            got = line(compare.numbers(getattr(learner, function)(X, y), SIZES[function], function))
        except Fail:
            got = None
        plots["lines"][function] = {"learner": got, "reference": list(want)}
    return plots


# Fixed styles, so a colour or a dash means the same thing on every page: each fitting function has its
# own colour; the learner's line is wide, solid and pale, the reference a narrow dashed line drawn on top
# of it, so a learner's line that matches the reference never hides it.
COLOURS = {"grad_fit": "#1f77b4", "train_numeric": "#d95f02", "train_backprop": "#7570b3"}
LEARNER = {"linestyle": "-", "linewidth": 6, "alpha": 0.45, "zorder": 2}
REFERENCE = {"linestyle": "--", "linewidth": 1.8, "zorder": 3}


def plot_figure(plots):
    """The matplotlib figure: the data, then per function the learner's line and the reference over it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.scatter(plots["X"], plots["y"], s=12, color="0.6", label="data", zorder=1)
    xs = [min(plots["X"]), max(plots["X"])]
    for function, lines in plots["lines"].items():
        colour = COLOURS.get(function, "black")
        if lines["learner"] is not None:
            m, c = lines["learner"]
            ax.plot(xs, [m * x + c for x in xs], color=colour, label=f"your {function}", **LEARNER)
        else:  # keep the legend's meaning: say the line is missing rather than shifting the styles
            ax.plot([], [], color=colour, label=f"your {function}: no line (see its checks)", **LEARNER)
        m, c = lines["reference"]
        ax.plot(xs, [m * x + c for x in xs], color=colour, label=f"reference {function}", **REFERENCE)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend()
    return fig


def plot_png(plots):
    """A PNG (as bytes) of plot_figure(plots)."""
    from matplotlib import pyplot as plt

    fig = plot_figure(plots)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def page(row):
    """One learner's feedback page as an HTML string."""
    e = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'>",
        f"<title>{e(row['lesson'])}: {e(row['learner'])}</title>",
        "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto}"
        ".passed{color:#176f2c}.failed{color:#a4161a}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}"
        "</style>",
        f"<h1>{e(row['lesson'])}: feedback for {e(row['learner'])}</h1>",
        f"<p><b>Score: {row['score']:g} / {row['max_score']:g}</b></p>",
    ]
    if row["error"]:
        parts.append(f"<p class='failed'>{e(row['error'])}</p>")
    by_function = {}
    for test in row["tests"]:
        by_function.setdefault(test["function"], []).append(test)
    for function, tests in by_function.items():
        got = sum(t["score"] for t in tests)
        total = sum(t["max_score"] for t in tests)
        parts.append(f"<h2><code>{e(function)}</code>: {got:g} / {total:g}</h2><ul>")
        for t in tests:
            parts.append(
                f"<li class='{t['status']}'>{'&#10003;' if t['status'] == 'passed' else '&#10007;'} "
                f"{e(t['title'])} ({t['score']:g}/{t['max_score']:g})"
            )
            if t["message"]:
                parts.append(f"<pre>{e(t['message'])}</pre>")
            parts.append("</li>")
        parts.append("</ul>")
    if row.get("plots"):
        png = base64.b64encode(plot_png(row["plots"])).decode()
        parts.append(
            "<h2>Your fit</h2><p>Your function trained on the grader's data: your line is wide and solid, "
            "the reference is dashed on top of it, in the same colour.</p>"
        )
        parts.append(
            f"<img alt='your fit against the data and the reference' src='data:image/png;base64,{png}'>"
        )
    if row.get("notes"):
        parts.append("<h2>Cells that stopped with an error</h2><ul>")
        parts.extend(f"<li>{e(note)}</li>" for note in row["notes"])
        parts.append("</ul>")
    return "\n".join(parts)


def write_pages(rows, folder):
    """Write one page per row, <folder>/<learner>.html with a unique, bounded name; return the paths.
    Each page is written on its own: one that fails is reported on stderr and costs no other."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, taken = [], set()
    for row in rows:
        path = folder / f"{file_stem(row['learner'], taken)}.html"
        try:
            path.write_text(page(row), encoding="utf-8")
        except (OSError, ValueError) as exc:
            print(f"could not write the feedback page for {row['learner']}: {exc}", file=sys.stderr)
            continue
        paths.append(path)
    return paths
