"""Bundled sample submissions, built from the release notebooks: `samples/submitted/<learner>/<lesson>/`.

For every lesson: `ada` answers everything correctly, `ben` makes one realistic mistake (the function he
gets wrong is in `samples/ben/<lesson>.py`), `cy` submits the release notebook untouched.
`python -m autograder assign` rebuilds them with the release.
"""

import importlib
import inspect
import textwrap
from pathlib import Path

import nbformat

from solutions import LESSON_MODULES

from . import ROOT

LEARNERS = ("ada", "ben", "cy")

MISTAKES = ROOT / "samples" / "ben"  # <lesson>.py: the one function ben gets wrong, as he wrote it


def answer(lesson, function, learner):
    """The code `learner` wrote for `function`."""
    if learner == "ben":
        wrong = (MISTAKES / f"{lesson}.py").read_text().strip()
        if wrong.startswith(f"def {function}("):
            return wrong
    module = importlib.import_module(f"solutions.{LESSON_MODULES[lesson]}")
    return textwrap.dedent(inspect.getsource(getattr(module, function))).rstrip("\n")


def sample(release_nb, lesson, learner):
    """A copy of the release notebook as `learner` would submit it."""
    nb = nbformat.from_dict(release_nb)
    if learner == "cy":
        return nb
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = answer(lesson, meta["grade_id"], learner)
    return nb


def build(root=ROOT, lessons=None):
    """Write the sample notebooks of `lessons` (default: all); return their paths."""
    paths = []
    for lesson in lessons or LESSON_MODULES:
        release = nbformat.read(Path(root) / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        for learner in LEARNERS:
            path = Path(root) / "samples" / "submitted" / learner / lesson / f"{lesson}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(sample(release, lesson, learner), path)
            paths.append(path)
    return paths
