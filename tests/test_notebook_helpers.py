# ruff: noqa: E501 - a table of calls and the lines they must give reads best one row per line
"""The examples helper every notebook carries: one calm line for each expected failure, and a cell that still
fails (so nbgrader validate reports it) unless the notebook is being graded."""

import numpy as np
import pytest

from autograder import assign

LEARNER = """
def stub(x):
    # YOUR CODE HERE
    raise NotImplementedError()


def forgot_return(x):
    x * x


def broadcasts(x):
    return np.ones((3, 3))


def three(x):
    return 1.0, 2.0, 3.0


def divides(x):
    y = x - x
    return 1 / y


def uses_stub(x):
    return stub(x) + 1


def square(x):
    return x * x
"""


@pytest.fixture
def notebook():
    """A namespace as a notebook builds it: the helpers cell, then the learner's cells."""
    namespace = {"np": np}
    exec(compile(assign.helpers_cell(), "<cell 1>", "exec"), namespace)  # noqa: S102 - our own helper cell
    exec(compile(LEARNER, "<cell 2>", "exec"), namespace)  # noqa: S102 - fixed test code
    return namespace


def run_examples(namespace, body):
    """Run one examples cell; return (printed text, the calm line it failed with or None)."""
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        try:
            exec(body, namespace)  # noqa: S102 - fixed test code
        except namespace["ExampleFailed"] as exc:
            [line] = exc._render_traceback_()
            return printed.getvalue(), line
    return printed.getvalue(), None


@pytest.mark.parametrize(
    "call, expected",
    [
        (
            "ex.close('stub(2)', stub(2), 4.0, 1e-9)",
            "`stub` is not written yet: replace `raise NotImplementedError()`",
        ),
        (
            "ex.close('uses_stub(2)', uses_stub(2), 4.0, 1e-9)",
            "`stub` is not written yet (`uses_stub` uses it)",
        ),
        (
            "ex.close('forgot_return(2)', forgot_return(2), 4.0, 1e-9)",
            "returned None: did you forget to `return`",
        ),
        (
            "ex.close('broadcasts(2)', broadcasts(2), 4.0, 1e-9)",
            "returned an array of shape (3, 3); it should be one",
        ),
        (
            "ex.close_all('three(2)', three(2), (1.0, 2.0), 1e-9)",
            "returned (1.0, 2.0, 3.0); it should be a tuple of 2",
        ),
        (
            "ex.close('square(2)', square(2), 5.0, 1e-9)",
            "square(2) should be within 1e-09 of 5.0, but it returned 4.0.",
        ),
        ("ex.equal('square(2)', square(2), 5)", "square(2) should be 5, but it returned 4."),
        ("ex.close('divides(2)', divides(2), 1.0, 1e-9)", "`divides` stopped with ZeroDivisionError"),
        ("assert square(2) == 5, 'square(2) is not 5'", "square(2) is not 5"),
    ],
)
def test_each_failure_is_one_calm_line(notebook, call, expected):
    name = call.split("(")[1].strip("'").split("'")[0] if call.startswith("ex.") else "square"
    printed, line = run_examples(notebook, f"with examples({name!r}) as ex:\n    {call}\n")
    assert line is not None and expected in line, line
    assert "\n" not in line and "Traceback" not in line
    assert "All examples passed." not in printed


def test_an_error_names_the_line_of_the_learners_function(notebook):
    _, line = run_examples(notebook, "with examples('divides') as ex:\n    divides(2)\n")
    where = LEARNER.split("\n").index("    return 1 / y") + 1
    assert line.startswith(
        f"`divides` stopped with ZeroDivisionError: division by zero at line {where} of its cell."
    )


def test_success_is_one_line_and_unlocks_cells_that_need_the_function(notebook):
    with pytest.raises(notebook["ExampleFailed"], match="This cell uses `square`, which has not passed"):
        exec("needs('square')", notebook)  # noqa: S102
    printed, line = run_examples(
        notebook, "with examples('square') as ex:\n    ex.close('square(2)', square(2), 4, 0)\n"
    )
    assert (printed, line) == ("All examples passed.\n", None)
    exec("needs('square')", notebook)  # noqa: S102 - passes now


def test_a_failure_locks_the_function_again(notebook):
    run_examples(notebook, "with examples('square') as ex:\n    pass\n")
    run_examples(notebook, "with examples('square') as ex:\n    ex.close('square(2)', square(2), 5, 0)\n")
    with pytest.raises(notebook["ExampleFailed"]):
        exec("needs('square', 'stub')", notebook)  # noqa: S102


def test_while_graded_a_failure_is_printed_and_the_cell_goes_on(notebook):
    """The hidden region sets `examples.fatal = False`: nbgrader then scores the cell by its hidden checks."""
    exec("examples.fatal = False", notebook)  # noqa: S102
    printed, line = run_examples(notebook, "with examples('stub') as ex:\n    stub(1)\nafter = 'ran'\n")
    assert line is None and notebook["after"] == "ran"
    assert (
        printed.strip() == "`stub` is not written yet: replace `raise NotImplementedError()` with your code."
    )


def test_warnings_and_stderr_become_notes_on_stdout(notebook, capsys):
    """A graded cell that writes to stderr scores 0 in nbgrader, so the examples never do."""
    exec(
        "def noisy(x):\n    import sys\n    print('debug', file=sys.stderr)\n    return np.float64(1e308) * 10\n",
        notebook,
    )  # noqa: S102
    printed, line = run_examples(notebook, "with examples('noisy') as ex:\n    noisy(1)\n")
    assert line is None
    assert (
        "debug" in printed
        and "Note: a warning while running the examples of `noisy`: RuntimeWarning" in printed
    )
    assert capsys.readouterr().err == ""


def test_validate_gets_the_line_wrapped_to_its_width(notebook, monkeypatch):
    monkeypatch.setenv("NBGRADER_VALIDATING", "1")
    exc = notebook["ExampleFailed"]("x" * 50 + " " + "y" * 50)
    assert exc._render_traceback_() == ["x" * 50, "y" * 50]
