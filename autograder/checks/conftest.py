"""The one fixture every check uses: `learner`, the functions under test.

`pytest autograder/checks/test_backprop.py --submission PATH` grades one submission, run in a sandboxed
worker. Without --submission the checks run against the reference solutions, which must pass them all.
"""

import importlib

import pytest

from solutions import LESSON_MODULES

from ..learner import Learner, LocalBackend


def pytest_addoption(parser):
    parser.addoption("--submission", default=None, help="notebook, .py file or folder to grade")


@pytest.fixture(scope="module")
def learner(request):
    lesson = request.module.LESSON
    path = request.config.getoption("--submission")
    if path is None:
        reference = importlib.import_module(f"solutions.{LESSON_MODULES[lesson]}")
        yield Learner(LocalBackend(vars(reference)))
        return
    from ..sandbox import Worker
    from ..submission import find, read_cells

    cells = read_cells(find(path, lesson))
    with Worker() as worker, worker.open(cells) as session:
        yield Learner(session)
