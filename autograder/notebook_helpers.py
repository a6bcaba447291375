"""The examples helper that `python -m autograder assign` copies into a read-only cell of every notebook.

Learners do not have this project, so the cell carries plain Python (numpy only). Everything after this
docstring is copied verbatim; `tests/test_sync.py` fails when a notebook's copy is stale. Why it exists:
an untouched stub, a forgotten `return` or a wrong shape should give one calm line that names the function
and says what to do, not a traceback; and a cell must still *fail* (raise) so that `nbgrader validate` and
JupyterLab's Validate button report it. IPython shows only what `_render_traceback_()` returns.
"""

# Helpers for this notebook's examples. Run this cell; you do not need to read it.
#   with examples("f") as ex: ...   runs f's examples and sums them up in one line
#   needs("f")                      stops a cell calmly until f has passed its examples
import contextlib
import os
import sys
import textwrap
import warnings

import numpy as _np  # under another name: the lesson imports its own np

ALL_PASSED = "All examples passed."


class ExampleFailed(Exception):
    """A failed example, shown as its one-line message instead of a traceback."""

    def _render_traceback_(self):
        if os.environ.get("NBGRADER_VALIDATING"):  # `nbgrader validate` cuts lines at 90 characters
            return textwrap.wrap(str(self), 80)
        return [str(self)]


class examples:  # lower case: it reads as a phrase, `with examples("diff") as ex:`
    """Run the examples of one function: one line on success, one calm line (and a failed cell) if not."""

    fatal = True  # while a notebook is graded, failures are reported and the hidden tests set the score
    passed = set()  # functions whose examples passed in this session (see `needs`)

    def __init__(self, function):
        self.function = function
        self.namespace = sys._getframe(1).f_globals

    def __enter__(self):
        self._warnings = warnings.catch_warnings(record=True)
        self._caught = self._warnings.__enter__()
        warnings.simplefilter("always")
        self._stderr = contextlib.redirect_stderr(sys.stdout)  # a graded cell must not write to stderr
        self._stderr.__enter__()
        return self

    def __exit__(self, etype, exc, tb):
        self._stderr.__exit__(None, None, None)
        self._warnings.__exit__(None, None, None)
        if exc is not None and not isinstance(exc, Exception):
            return False  # KeyboardInterrupt and friends pass through
        for note in dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in self._caught):
            _say(f"Note: a warning while running the examples of `{self.function}`: {note}")
        if exc is None:
            examples.passed.add(self.function)
            print(ALL_PASSED)
            return False
        examples.passed.discard(self.function)
        line = self.describe(exc, tb)
        if not examples.fatal:
            _say(line)
            return True
        raise ExampleFailed(line) from None

    def describe(self, exc, tb):
        """One line for the learner: what went wrong and what to do."""
        if isinstance(exc, ExampleFailed) or (isinstance(exc, AssertionError) and str(exc)):
            return str(exc)
        name, line = self.culprit(tb)
        if isinstance(exc, NotImplementedError):
            used = f" (`{self.function}` uses it)" if name != self.function else ""
            return f"`{name}` is not written yet{used}: replace `raise NotImplementedError()` with your code."
        where = f" at line {line} of its cell" if line else ""
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return f"`{name}` stopped with {text}{where}. Fix it, run its cell, then run this cell again."

    def culprit(self, tb):
        """The innermost notebook function the error came from, and its line (else the tested function).
        A method of the tested class counts as the class: its cell holds them all."""
        name, line = self.function, None
        while tb is not None:
            code = tb.tb_frame.f_code
            if tb.tb_frame.f_globals is self.namespace and code.co_filename != _HERE:
                if code.co_name != "<module>" and not code.co_name.startswith("<"):
                    name, line = code.co_name, tb.tb_lineno
                    if getattr(code, "co_qualname", "") == f"{self.function}.{code.co_name}":
                        name = self.function
            tb = tb.tb_next
        return name, line

    def number(self, value, call):
        """`value` as one float (a 1-element array counts), or a calm failure saying what came back."""
        if isinstance(value, _np.ndarray) and value.size == 1:
            value = value.reshape(())[()]
        if value is None:
            raise ExampleFailed(f"{call} returned None: did you forget to `return` the result?")
        if isinstance(value, _np.ndarray):
            raise ExampleFailed(f"{call} returned an array of shape {value.shape}; it should be one number.")
        if isinstance(value, bool) or not isinstance(value, int | float | _np.integer | _np.floating):
            raise ExampleFailed(f"{call} returned {value!r} ({type(value).__name__}); it should be a number.")
        return float(value)

    def numbers(self, value, count, call):
        """`value` as `count` floats (a tuple, list or array of that many numbers)."""
        if isinstance(value, _np.ndarray) and value.size == count:
            value = list(value.ravel())
        if value is None:
            raise ExampleFailed(f"{call} returned None: did you forget to `return` the result?")
        if not isinstance(value, tuple | list) or len(value) != count:
            shape = f"an array of shape {value.shape}" if isinstance(value, _np.ndarray) else repr(value)
            raise ExampleFailed(f"{call} returned {shape}; it should be a tuple of {count} numbers.")
        return [self.number(v, f"{call} (item {i + 1} of {count})") for i, v in enumerate(value)]

    def equal(self, call, value, expected, hint=""):
        """Fail calmly unless `value == expected` (for exact answers: integers, strings, lists)."""
        if value is None and expected is not None:
            raise ExampleFailed(f"{call} returned None: did you forget to `return` the result?")
        try:
            same = bool(value == expected)
        except Exception:  # noqa: BLE001 - e.g. an array compared with a number
            same = False
        if not same:
            raise ExampleFailed(
                f"{call} should be {expected!r}, but it returned {_show(value)}.{_space(hint)}"
            )
        return value

    def close(self, call, value, expected, tol, hint=""):
        """Fail calmly unless `value` is a number within `tol` of `expected`; `hint` may be a function of
        the number that came back."""
        got = self.number(value, call)
        if not abs(got - expected) <= tol:
            hint = hint(got) if callable(hint) else hint
            raise ExampleFailed(
                f"{call} should be within {tol:.2g} of {expected!r}, but it returned {got!r}.{_space(hint)}"
            )
        return got

    def close_all(self, call, value, expected, rtol, atol=0.0, hint=""):
        """Fail calmly unless `value` holds len(expected) numbers, each within atol + rtol*|expected|."""
        got = self.numbers(value, len(expected), call)
        if not all(abs(g - e) <= atol + rtol * abs(e) for g, e in zip(got, expected)):
            shown = "(" + ", ".join(f"{g:.8g}" for g in got) + ")"
            raise ExampleFailed(
                f"{call} should be about {expected!r}, but it returned {shown}.{_space(hint)}"
            )
        return got


def needs(*functions):
    """Stop this cell with one calm line unless every function in `functions` has passed its examples."""
    missing = [f for f in functions if f not in examples.passed]
    if missing:
        names = " and ".join(f"`{f}`" for f in missing)
        one = len(missing) == 1
        raise ExampleFailed(
            f"This cell uses {names}, which {'has' if one else 'have'} not passed "
            f"{'its' if one else 'their'} examples yet: write {'it' if one else 'them'}, run the examples "
            f"cell below {'it' if one else 'each'}, then run this cell again."
        )


def _say(line):
    """Print a line wrapped to 100 characters: nbgrader's feedback page does not wrap long lines."""
    print("\n".join(textwrap.wrap(line, 100, subsequent_indent="  ", break_long_words=False)))


def _show(value):
    if isinstance(value, _np.ndarray) and value.size > 6:
        return f"an array of shape {value.shape}"
    return repr(value)


def _space(hint):
    return f" {hint}" if hint else ""


_HERE = needs.__code__.co_filename
