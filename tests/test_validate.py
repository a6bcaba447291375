"""`nbgrader validate` (what JupyterLab's Validate button runs) fails, naming the function, while a stub is
untouched or a visible example fails, and succeeds on a solved notebook."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import checks
from conftest import LESSONS, ROOT


def validate(notebook, tmp_path):
    """Run `nbgrader validate` on a copy of `notebook`, as a learner would; return its output."""
    copy = tmp_path / Path(notebook).name
    shutil.copy(notebook, copy)
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", copy.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    return done.stdout


@pytest.mark.parametrize("lesson", LESSONS)
def test_untouched_release_fails_and_names_every_function(lesson, tmp_path):
    out = validate(ROOT / "release" / lesson / f"{lesson}.ipynb", tmp_path)
    assert "Success" not in out
    text = " ".join(out.split())  # validate wraps long lines
    for function in checks.points_by_function(lesson):
        line = f"`{function}` is not written yet: replace `raise NotImplementedError()` with your code."
        assert line in text


@pytest.mark.parametrize("lesson", ["05-gradient-descent", "06-backprop"])
def test_solved_notebook_passes(lesson, tmp_path):
    out = validate(ROOT / "samples/submitted/ada" / lesson / f"{lesson}.ipynb", tmp_path)
    assert "Success! Your notebook passes all the tests." in out, out


def test_a_failing_visible_example_fails_validate_with_its_message(tmp_path):
    """ben's grad_fit updates m before c's gradient: once an ungraded assert, validate said Success."""
    out = validate(ROOT / "samples/submitted/ben/05-gradient-descent/05-gradient-descent.ipynb", tmp_path)
    assert "Success" not in out
    assert "should be about (0.6, 0.8), but it returned (0.6, 0.68)" in " ".join(out.split())
